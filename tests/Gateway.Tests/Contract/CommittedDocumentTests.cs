using System.Diagnostics;
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
    private static string Canonical(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(s_canonical) + "\n";
    }

    /// <summary>
    /// Optic's verdict on the change from the committed document to the served one. Optic is installed only when a difference
    /// needs judging, from the lockfile committed beside this test (<c>optic/</c>, every transitive version pinned) into
    /// <c>.tools/optic</c> (ignored), so that a run with no difference needs no Node and a run with one leaves the tree clean.
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
            var optic = await InstallOpticAsync(root);
            // With no optic.yml, --check applies Optic's breaking-changes rules. The verdict is a local comparison: no usage report,
            // no update check; CI=true also keeps its run details in the working folder (ignored).
            var (exit, report) = await RunAsync(optic, ["diff", committedPath, servedPath, "--check"], work, ("OPTIC_TELEMETRY_LEVEL", "off"), ("CI", "true"));
            return exit == 0
                ? "Optic finds no breaking change:\n" + report
                : $"Optic finds BREAKING changes, or could not compare (exit {exit}):\n" + report;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return $"Optic could not judge whether the change breaks clients ({e.Message}); compare the two documents yourself.";
        }
    }

    /// <summary>The installed <c>optic</c> command, installed again when the committed lockfile changed.</summary>
    private static async Task<string> InstallOpticAsync(string root)
    {
        var source = Path.Combine(root, "tests", "Gateway.Tests", "Contract", "optic");
        var tools = Path.Combine(root, ".tools", "optic");
        var optic = Path.Combine(tools, "node_modules", ".bin", "optic");
        var lockfile = await File.ReadAllTextAsync(Path.Combine(source, "package-lock.json"));
        var installed = Path.Combine(tools, "package-lock.json");
        if (File.Exists(optic) && File.Exists(installed) && await File.ReadAllTextAsync(installed) == lockfile)
        {
            return optic;
        }
        Directory.CreateDirectory(tools);
        File.Copy(Path.Combine(source, "package.json"), Path.Combine(tools, "package.json"), overwrite: true);
        File.Copy(Path.Combine(source, "package-lock.json"), installed, overwrite: true);
        var (exit, output) = await RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], tools);
        return exit == 0 ? optic : throw new InvalidOperationException($"npm ci in {tools} failed (exit {exit}): {output}");
    }

    private static async Task<(int Exit, string Output)> RunAsync(string command, string[] arguments, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(command, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new OperationCanceledException($"{command} {string.Join(' ', arguments)} did not finish in 5 minutes");
        }
        return (process.ExitCode, (await output + await error).Trim());
    }
}
