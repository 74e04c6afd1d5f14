using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>
/// The recommended rules of the usual OpenAPI linters (Redocly's and Spectral's), checked on the served document in the
/// suite so that CI needs no Node: it reads without errors and passes Microsoft.OpenApi's own rules; every operation has a
/// summary, a unique operationId, tags the document declares, an explicit security (empty where public) and at least one
/// 4xx; every <c>$ref</c> resolves and every component is used.
/// </summary>
public sealed class OpenApiLintTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    /// <summary>
    /// Operations that cannot answer any 4xx, with the reason: declaring one would make the document lie, which is what the
    /// contract check is there to prevent.
    /// </summary>
    private static readonly Dictionary<string, string> s_no4xx = new(StringComparer.Ordinal)
    {
        ["GET /health/live"] = "a liveness probe: anonymous, not rate limited, reads nothing; the process answers 200 or not at all",
        ["GET /health/ready"] = "a readiness probe: anonymous, not rate limited, reads nothing; 200 or 503",
    };

    [Fact]
    public async Task The_served_document_passes_the_linters_recommended_rules()
    {
        var host = await StartAsync();
        var text = (await host.GetAsync(ContractCheckingHandler.DocumentPath, null)).Body;
        var contract = OpenApiContract.Parse(text);
        var document = contract.Document;
        var raw = JsonNode.Parse(text)!.AsObject();
        var problems = new List<string>();

        problems.AddRange(document.Validate(ValidationRuleSet.GetDefaultRuleSet()).Select(e => "validation: " + e));
        var declaredTags = (document.Tags ?? new HashSet<OpenApiTag>()).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var operationIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, item) in raw["paths"]!.AsObject())
        {
            foreach (var (method, value) in item!.AsObject())
            {
                var operation = value!.AsObject();
                var name = method.ToUpperInvariant() + " " + path;
                if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
                {
                    problems.Add($"{name}: no summary");
                }
                if ((string?)operation["operationId"] is not { Length: > 0 } id)
                {
                    problems.Add($"{name}: no operationId");
                }
                else if (!operationIds.TryAdd(id, name))
                {
                    problems.Add($"{name}: operationId {id} is also {operationIds[id]}'s");
                }
                else if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z][A-Za-z0-9]*$"))
                {
                    // The typed client's method names (src/Client): a lambda's compiler-made name is no identifier.
                    problems.Add($"{name}: operationId {id} is not a camelCase identifier");
                }
                var tags = operation["tags"]?.AsArray().Select(t => (string)t!).ToList() ?? [];
                if (tags.Count == 0)
                {
                    problems.Add($"{name}: no tags");
                }
                problems.AddRange(tags.Where(t => !declaredTags.Contains(t)).Select(t => $"{name}: tag {t} is not declared in the document's tags"));
                if (operation["security"] is not JsonArray)
                {
                    problems.Add($"{name}: no security (an explicit [] where public)");
                }
                var statuses = operation["responses"]!.AsObject().Select(r => r.Key).ToList();
                if (!statuses.Any(s => s.StartsWith('4')) && !s_no4xx.ContainsKey(name))
                {
                    problems.Add($"{name}: no 4xx response");
                }
            }
        }
        problems.AddRange(BrokenReferences(raw));
        problems.AddRange(UnusedComponents(raw));

        Assert.True(problems.Count == 0, "The document breaks the linters' rules:\n" + string.Join("\n", problems));
        Assert.True(operationIds.Count >= 45, $"only {operationIds.Count} operations were linted");
    }

    private static IEnumerable<string> BrokenReferences(JsonObject document) =>
        References(document).Distinct().Where(r => !r.StartsWith("#/", StringComparison.Ordinal) || Resolve(document, r) is null).Select(r => $"$ref {r} does not resolve");

    private static IEnumerable<string> UnusedComponents(JsonObject document)
    {
        var used = References(document).ToHashSet(StringComparer.Ordinal);
        var schemes = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .SelectMany(o => o.Value!["security"]?.AsArray() ?? []).SelectMany(r => r!.AsObject().Select(s => s.Key)).ToHashSet(StringComparer.Ordinal);
        foreach (var (kind, components) in document["components"]!.AsObject())
        {
            foreach (var (name, _) in components!.AsObject())
            {
                var isUsed = kind == "securitySchemes" ? schemes.Contains(name) : used.Contains($"#/components/{kind}/{Escape(name)}");
                if (!isUsed)
                {
                    yield return $"components/{kind}/{name} is not used";
                }
            }
        }
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [v.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    private static JsonNode? Resolve(JsonObject document, string reference)
    {
        JsonNode? node = document;
        foreach (var token in reference[2..].Split('/'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), out var child) ? child : null;
        }
        return node;
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
