using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>
/// The served OpenAPI document is the committed one (<c>docs/openapi/v1.json</c>). The contract check holds every answer to
/// the document the same code generates, so a change to an answer's shape moves the document with it; this test makes the
/// move visible. Any difference fails; the committed document is refreshed on purpose with <see cref="RefreshVariable"/>=1
/// (README, docs/api.md), and that diff is what review sees. The failure lists the breaking changes (removed path,
/// operation or field, narrowed type, new required input) as Optic's breaking-change rules find them, so that a breaking
/// refresh is never mistaken for a routine one.
/// </summary>
public sealed class CommittedDocumentTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string RefreshVariable = "RETURNOPS_REFRESH_OPENAPI";

    private static readonly JsonSerializerOptions s_canonical = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        // The descriptions' dashes and quotes stay readable in the committed file's diff.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task The_served_document_is_the_committed_one()
    {
        var host = await StartAsync();
        var served = Canonical((await host.GetAsync(ContractCheckingHandler.DocumentPath, null)).Body);
        var committedPath = CommittedPath();

        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(committedPath)!);
            await File.WriteAllTextAsync(committedPath, served, TestContext.Current.CancellationToken);
            return;
        }

        var committed = File.Exists(committedPath) ? await File.ReadAllTextAsync(committedPath, TestContext.Current.CancellationToken) : "";
        if (served == committed)
        {
            return;
        }
        var verdict = committed.Length == 0 ? "There is no committed document." : await BreakingChangesAsync(committedPath, served);
        Assert.Fail(
            $"The served OpenAPI document differs from the committed {Path.GetRelativePath(RepositoryFiles.Root(), committedPath)}.\n{verdict}\n"
            + $"If the change is meant, refresh the committed document with `{RefreshVariable}=1 dotnet test tests/Gateway.Tests -c Release "
            + "--filter FullyQualifiedName~CommittedDocumentTests` and commit it; a breaking change needs the partners' agreement "
            + "and a note in docs/api.md before that commit is reviewed.");
    }

    /// <summary>The committed file: the repository's copy, whatever folder the test runs from.</summary>
    private static string CommittedPath() => Path.Combine(RepositoryFiles.Root(), "docs", "openapi", "v1.json");

    /// <summary>
    /// The document as committed: indented, <c>\n</c> line ends, a final newline, so that its diff reads line by line; without
    /// <c>servers</c>, which names the address the request came to (a test host's port changes every run), not the contract.
    /// </summary>
    internal static string Canonical(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(s_canonical) + "\n";
    }

    /// <summary>
    /// Optic's verdict on the change from the committed document to the served one. Optic is installed (<see cref="NodeTool"/>)
    /// only when a difference needs judging, so that a run with no difference needs no Node.
    /// </summary>
    private static async Task<string> BreakingChangesAsync(string committedPath, string served)
    {
        var root = RepositoryFiles.Root();
        var work = Path.Combine(root, "TestResults", "openapi");
        Directory.CreateDirectory(work);
        var servedPath = Path.Combine(work, "served.json");
        await File.WriteAllTextAsync(servedPath, served);
        try
        {
            var optic = await NodeTool.InstallAsync("optic", "optic");
            // With no optic.yml, --check applies Optic's breaking-changes rules. The verdict is a local comparison: no usage report,
            // no update check; CI=true also keeps its run details in the working folder (ignored).
            var (exit, report) = await NodeTool.RunAsync(optic, ["diff", committedPath, servedPath, "--check"], work, ("OPTIC_TELEMETRY_LEVEL", "off"), ("CI", "true"));
            return exit == 0
                ? "Optic finds no breaking change:\n" + report
                : $"Optic finds BREAKING changes, or could not compare (exit {exit}):\n" + report;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return $"Optic could not judge whether the change breaks clients ({e.Message}); compare the two documents yourself.";
        }
    }
}
