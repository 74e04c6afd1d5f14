using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>
/// Issue 23: the served document under Spectral's OpenAPI rules and the OWASP API Security Top 10 2023 ruleset
/// (<c>@stoplight/spectral-owasp-ruleset</c>), with the rules that do not fit this API switched off, each with its reason, in the
/// committed <c>spectral/spectral.yaml</c>. Any error fails; the warnings are counted in the output (docs/security.md has the
/// figures). Linted as committed (<see cref="CommittedDocumentTests.Canonical"/>): without <c>servers</c>, which names the test
/// host's plain-HTTP loopback address, not the gateway's.
/// </summary>
public sealed class OpenApiOwaspTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task The_served_document_has_no_error_under_the_OWASP_API_ruleset()
    {
        var host = await StartAsync();
        var served = CommittedDocumentTests.Canonical((await host.GetAsync(ContractCheckingHandler.DocumentPath, null)).Body);
        var work = Path.Combine(RepositoryFiles.Root(), "TestResults", "openapi-owasp");
        Directory.CreateDirectory(work);
        var document = Path.Combine(work, "served.json");
        var report = Path.Combine(work, "spectral.json");
        var probe = Path.Combine(work, "probe.json");
        await File.WriteAllTextAsync(document, served, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(probe, Probe, TestContext.Current.CancellationToken);
        File.Delete(report);

        var spectral = await NodeTool.InstallAsync("spectral", "spectral");
        // Beside node_modules, where the ruleset's `extends` of the OWASP package resolves.
        var ruleset = Path.Combine(NodeTool.ToolFolder("spectral"), "spectral.yaml");
        File.Copy(Path.Combine(NodeTool.SourceFolder("spectral"), "spectral.yaml"), ruleset, overwrite: true);
        var (exit, output) = await NodeTool.RunAsync(spectral,
            ["lint", document, probe, "--ruleset", ruleset, "--format", "json", "--output", report, "--fail-severity", "error", "--quiet"], work);

        Assert.True(File.Exists(report), $"Spectral wrote no report (exit {exit}): {output}");
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(report, TestContext.Current.CancellationToken));
        var findings = results.RootElement.EnumerateArray()
            .Select(r => (Source: r.GetProperty("source").GetString() ?? "", Severity: r.GetProperty("severity").GetInt32(), Code: r.GetProperty("code").GetString()!,
                Where: string.Join('/', r.GetProperty("path").EnumerateArray().Select(p => p.ToString())), Message: r.GetProperty("message").GetString()))
            .ToList();
        // The probe proves the rules ran: a ruleset that failed to load would lint nothing and pass.
        var probed = findings.Where(f => f.Source.EndsWith("probe.json", StringComparison.Ordinal)).Select(f => f.Code).ToHashSet();
        Assert.True(probed.IsSupersetOf(["returnops-request-string-limit", "owasp:api2:2023-jwt-best-practices", "owasp:api8:2023-define-error-responses-500"]),
            $"The probe's faults were not all found (exit {exit}): {string.Join(", ", probed)}\n{output}");
        findings = [.. findings.Where(f => f.Source.EndsWith("served.json", StringComparison.Ordinal))];
        var errors = findings.Where(f => f.Severity == 0).ToList();
        var warnings = findings.Where(f => f.Severity == 1).GroupBy(f => f.Code).Select(g => $"{g.Key}: {g.Count()}");
        TestContext.Current.TestOutputHelper?.WriteLine($"Spectral (spectral:oas and OWASP): {errors.Count} errors, {findings.Count(f => f.Severity == 1)} warnings ({string.Join(", ", warnings)}).");
        Assert.True(errors.Count == 0,
            $"Spectral finds {errors.Count} errors (exit {exit}):\n" + string.Join("\n", errors.Take(40).Select(e => $"{e.Code} at {e.Where}: {e.Message}")) + "\n" + output);
    }

    /// <summary>A document with three faults the ruleset must find: an unbounded request string, a JWT scheme silent on RFC 8725, no 500.</summary>
    private const string Probe = """
        {
          "openapi": "3.1.1",
          "info": { "title": "probe", "version": "1", "description": "A fault the ruleset must find." },
          "components": { "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } } },
          "paths": {
            "/things": {
              "post": {
                "operationId": "thingsCreate", "summary": "s", "description": "d", "tags": ["Things"], "security": [{ "bearer": [] }],
                "requestBody": { "content": { "application/json": { "schema": { "type": "object", "properties": { "name": { "type": "string" } } } } } },
                "responses": { "204": { "description": "done" } }
              }
            }
          }
        }
        """;
}
