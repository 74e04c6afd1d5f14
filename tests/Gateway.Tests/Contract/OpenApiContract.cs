using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>
/// The gateway's served OpenAPI document, read with Microsoft.OpenApi, and what it says an answer may be: for a request's
/// method and path, the operation; for its status, the declared response; its media types, body schema (JSON Schema 2020-12,
/// checked with JsonSchema.Net) and headers. <see cref="Check"/> lists every way an answer departs from it.
/// </summary>
public sealed class OpenApiContract
{
    /// <summary>The headers of the contract whose presence the document must declare; the rest (Date, security headers) are HTTP's.</summary>
    public static readonly string[] ContractHeaders = ["Location", "ETag", "Idempotent-Replayed", "Retry-After", "RateLimit", "RateLimit-Policy"];

    private const string DefsUri = "urn:returnops:openapi";
    private readonly BuildOptions _build = new() { SchemaRegistry = new SchemaRegistry() };
    private readonly ConcurrentDictionary<IOpenApiSchema, JsonSchema> _schemas = new();
    private readonly Lock _building = new();
    private readonly List<(string Template, string[] Segments, Dictionary<string, OpenApiOperation> Operations)> _paths;
    private int _built;

    private OpenApiContract(OpenApiDocument document)
    {
        Document = document;
        _paths = [.. document.Paths.Select(p => (p.Key, p.Key.Trim('/').Split('/'),
            (p.Value.Operations ?? new Dictionary<HttpMethod, OpenApiOperation>()).ToDictionary(o => o.Key.Method, o => o.Value, StringComparer.OrdinalIgnoreCase)))];
        var defs = new JsonObject();
        foreach (var (name, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            defs[name] = ToJson(schema);
        }
        JsonSchema.Build(JsonSerializer.SerializeToElement(new JsonObject { ["$defs"] = defs }), _build, new Uri(DefsUri));
    }

    public OpenApiDocument Document { get; }

    /// <summary>Reads a served document; it must read without errors.</summary>
    public static OpenApiContract Parse(string text)
    {
        var (document, diagnostic) = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        if (document is null || diagnostic?.Errors.Count > 0)
        {
            throw new InvalidOperationException("The served OpenAPI document does not read: " + string.Join("; ", diagnostic?.Errors.Select(e => e.ToString()) ?? []));
        }
        return new OpenApiContract(document);
    }

    /// <summary>The operation for a method and a request path, the template with most literal segments winning (<c>/overdue</c> over <c>/{id}</c>).</summary>
    public (string Template, OpenApiOperation? Operation, bool PathKnown) Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        var candidates = _paths
            .Where(p => p.Segments.Length == segments.Length && p.Segments.Zip(segments).All(s => IsParameter(s.First) ? s.Second.Length > 0 : s.First == s.Second))
            .OrderByDescending(p => p.Segments.Count(s => !IsParameter(s)))
            .ToList();
        foreach (var (template, _, operations) in candidates)
        {
            if (operations.TryGetValue(method, out var operation))
            {
                return (template, operation, true);
            }
        }
        return (candidates.FirstOrDefault().Template ?? path, null, candidates.Count > 0);
    }

    /// <summary>Every way the answer departs from the document; empty when it conforms. <paramref name="body"/> is null for a stream.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, string? body)
    {
        var (template, operation, pathKnown) = Find(method, path);
        if (operation is null)
        {
            return UndocumentedRoute(method, path, pathKnown, status, contentHeaders, body);
        }
        var name = $"{method} {template} ({operation.OperationId ?? "no operationId"}) answered {status}";
        var responses = operation.Responses ?? [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (!responses.TryGetValue(key, out var declared) && !responses.TryGetValue(key[0] + "XX", out declared) && !responses.TryGetValue("default", out declared))
        {
            return [$"{name}: the status is not declared (declared: {string.Join(", ", responses.Keys)}). Body: {Excerpt(body)}"];
        }
        var violations = new List<string>();
        CheckBody(declared, contentHeaders, body, violations);
        CheckHeaders(declared, headers, contentHeaders, violations);
        return [.. violations.Select(v => $"{name}: {v}")];
    }

    private List<string> UndocumentedRoute(string method, string path, bool pathKnown, int status, HttpContentHeaders? contentHeaders, string? body)
    {
        // The web pages and their files are not the API; a route the API does not have must still be a problem document.
        var isApi = path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal) || path == "/metrics";
        if (!isApi && !pathKnown)
        {
            return [];
        }
        var expected = pathKnown ? 405 : 404;
        if (status != 404 && status != expected)
        {
            return [$"{method} {path} has no operation in the document, yet answered {status} (expected 404 or 405). Body: {Excerpt(body)}"];
        }
        var violations = new List<string>();
        if (contentHeaders?.ContentType?.MediaType != "application/problem+json")
        {
            violations.Add($"{method} {path} answered {status} as {contentHeaders?.ContentType?.MediaType ?? "no content type"}, not a problem document");
        }
        else if (Document.Components?.Schemas?.TryGetValue("Problem", out var problem) == true)
        {
            violations.AddRange(Validate(problem, body ?? "").Select(e => $"{method} {path} answered {status}: {e}"));
        }
        return violations;
    }

    private void CheckBody(IOpenApiResponse declared, HttpContentHeaders? contentHeaders, string? body, List<string> violations)
    {
        var content = declared.Content ?? new Dictionary<string, OpenApiMediaType>();
        var mediaType = contentHeaders?.ContentType?.MediaType;
        if (content.Count == 0)
        {
            if (!string.IsNullOrEmpty(body) || mediaType is not null)
            {
                violations.Add($"the document declares no body, but one came ({mediaType}): {Excerpt(body)}");
            }
            return;
        }
        if (mediaType is null || !content.TryGetValue(mediaType, out var media))
        {
            violations.Add($"media type {mediaType ?? "(none)"} is not declared (declared: {string.Join(", ", content.Keys)}). Body: {Excerpt(body)}");
            return;
        }
        if (body is null || media.Schema is null || !IsJson(mediaType))
        {
            // A stream is checked by its media type; a text body has nothing more to check than its being text.
            return;
        }
        violations.AddRange(Validate(media.Schema, body).Select(e => $"body: {e}. Body: {Excerpt(body)}"));
    }

    private void CheckHeaders(IOpenApiResponse declared, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, List<string> violations)
    {
        var described = new Dictionary<string, IOpenApiHeader>(declared.Headers ?? new Dictionary<string, IOpenApiHeader>(), StringComparer.OrdinalIgnoreCase);
        foreach (var name in ContractHeaders)
        {
            var value = headers.TryGetValues(name, out var values) ? string.Join(",", values)
                : contentHeaders is not null && contentHeaders.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues) : null;
            described.TryGetValue(name, out var header);
            if (value is not null && header is null)
            {
                violations.Add($"header {name}: {value} is sent but not declared");
            }
            else if (value is null && header?.Required == true)
            {
                violations.Add($"header {name} is declared required but was not sent");
            }
            else if (value is not null && header?.Schema is { } schema)
            {
                // A header is text; a number in it is read as a number, as the schema means it.
                var json = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? value : JsonSerializer.Serialize(value);
                violations.AddRange(Validate(schema, json).Select(e => $"header {name}: {value}: {e}"));
            }
        }
    }

    /// <summary>The instance locations and messages of every failed keyword; empty when <paramref name="json"/> conforms.</summary>
    public IReadOnlyList<string> Validate(IOpenApiSchema schema, string json)
    {
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"not JSON ({e.Message})"];
        }
        using (instance)
        {
            var results = Compile(schema).Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            return results.IsValid ? [] :
            [
                .. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"at '{d.InstanceLocation}' ({d.EvaluationPath}) {e.Key}: {e.Value}"))
                    .Take(8),
            ];
        }
    }

    private JsonSchema Compile(IOpenApiSchema schema) => _schemas.GetOrAdd(schema, s =>
    {
        lock (_building)
        {
            var id = new Uri($"{DefsUri}:schema:{++_built}");
            return JsonSchema.Build(JsonSerializer.SerializeToElement(ToJson(s)), _build, id);
        }
    });

    /// <summary>The schema as JSON Schema, its component references pointed at the registered definitions.</summary>
    private static JsonNode ToJson(IOpenApiSchema schema)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        schema.SerializeAsV31(new OpenApiJsonWriter(text));
        var node = JsonNode.Parse(text.ToString())!;
        Retarget(node);
        return node;
    }

    private static void Retarget(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    obj["$ref"] = DefsUri + "#/$defs/" + target["#/components/schemas/".Length..];
                }
                foreach (var (_, child) in obj.ToList())
                {
                    Retarget(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Retarget(child);
                }
                break;
        }
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static string Excerpt(string? body) => body is null ? "(stream)" : body.Length > 400 ? body[..400] + "…" : body;
}
