using System.Diagnostics;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>
/// An npm tool the contract tests run (Optic, Spectral), installed from the lockfile committed beside its test
/// (<c>tests/Gateway.Tests/Contract/&lt;name&gt;/</c>, every transitive version pinned) into <c>.tools/&lt;name&gt;</c> (ignored),
/// again only when that lockfile changed; so a fresh machine installs it with <c>npm ci</c> and leaves the tree clean.
/// </summary>
public static class NodeTool
{
    /// <summary>The installed command <paramref name="command"/> of the tool in folder <paramref name="name"/>.</summary>
    public static async Task<string> InstallAsync(string name, string command)
    {
        var source = SourceFolder(name);
        var tools = ToolFolder(name);
        var installedCommand = Path.Combine(tools, "node_modules", ".bin", command);
        var lockfile = await File.ReadAllTextAsync(Path.Combine(source, "package-lock.json"));
        var installed = Path.Combine(tools, "package-lock.json");
        if (File.Exists(installedCommand) && File.Exists(installed) && await File.ReadAllTextAsync(installed) == lockfile)
        {
            return installedCommand;
        }
        Directory.CreateDirectory(tools);
        File.Copy(Path.Combine(source, "package.json"), Path.Combine(tools, "package.json"), overwrite: true);
        File.Copy(Path.Combine(source, "package-lock.json"), installed, overwrite: true);
        var (exit, output) = await RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], tools);
        return exit == 0 ? installedCommand : throw new InvalidOperationException($"npm ci in {tools} failed (exit {exit}): {output}");
    }

    /// <summary>Where the tool is installed: a configuration that names its packages is read from here, beside node_modules.</summary>
    public static string ToolFolder(string name) => Path.Combine(RepositoryFiles.Root(), ".tools", name);

    /// <summary>The committed folder of the tool: its package files and any configuration beside them.</summary>
    public static string SourceFolder(string name) => Path.Combine(RepositoryFiles.Root(), "tests", "Gateway.Tests", "Contract", name);

    /// <summary>Runs a command to its end (at most 5 minutes), with its standard output and error together.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string command, string[] arguments, string directory, params (string Name, string Value)[] environment)
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
