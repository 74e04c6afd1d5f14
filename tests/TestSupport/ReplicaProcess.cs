using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReturnOps.TestSupport;

/// <summary>
/// One replica (a gateway or a silo worker) as deploy/local/cluster.sh starts it: its own process running the
/// Release build, on a free loopback port. Its output is kept (the last lines) to explain a failure.
/// Every replica ever started is killed when the test host exits, whatever happened to the test.
/// </summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private static readonly ConcurrentDictionary<int, Process> s_running = new();
    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    /// <summary>Completed by the host's own signal that every hosted service has started; failed if the process exits first.</summary>
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static ReplicaProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in s_running.Values)
            {
                KillQuietly(process);
            }
        };
    }

    private ReplicaProcess(string name, Process process, Uri address)
    {
        Name = name;
        _process = process;
        Address = address;
    }

    public string Name { get; }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="project"/>'s assembly (Gateway or Silo) with the given environment and waits for /health/ready.</summary>
    public static async Task<ReplicaProcess> StartAsync(string name, string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var path = Path.Combine(RepositoryRoot(), "src", project, "bin", Configuration(), "net10.0", assembly);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo("dotnet", $"\"{path}\" --urls {address}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            // Its content root: appsettings.json is copied beside the assembly.
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["Silo__Name"] = name;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var replica = new ReplicaProcess(name, process, address);
        process.Exited += (_, _) => replica._started.TrySetException(new InvalidOperationException($"{name} exited before it started."));
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}.");
        }
        s_running[process.Id] = process;
        process.OutputDataReceived += (_, e) => replica.Record(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await replica.WaitUntilReadyAsync();
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
        return replica;
    }

    /// <summary>SIGKILL, the whole process tree: no graceful stop, no hand-back of claims, connections reset.</summary>
    public async Task KillAsync()
    {
        KillQuietly(_process);
        await _process.WaitForExitAsync();
        s_running.TryRemove(_process.Id, out _);
    }

    /// <summary>The last lines the replica wrote, for a failure message.</summary>
    public string Tail()
    {
        lock (_lines)
        {
            return $"--- {Name} ({Address}) last {_lines.Count} lines ---\n" + string.Join('\n', _lines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (s_running.ContainsKey(_process.Id) || !_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains("Application started.", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>
    /// Waits for the host's "Application started" line (Microsoft.Hosting.Lifetime, written once migrations, the runtime
    /// and Kestrel are up), then asks /health/ready until it answers 200: started and able to reach its database. The first
    /// answer needs the first grain activations and connections, which a loaded machine can hold past one request's ten
    /// seconds (a CI run failed every browser test on that alone), so it is asked again until the deadline.
    /// </summary>
    private async Task WaitUntilReadyAsync()
    {
        try
        {
            await _started.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{Name} did not start at {Address}: {e.Message}\n{Tail()}", e);
        }
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = TimeProvider.System.GetTimestamp() + (long)(TimeProvider.System.TimestampFrequency * ReadyWithin.TotalSeconds);
        string last;
        do
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited while starting.\n{Tail()}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        while (TimeProvider.System.GetTimestamp() < deadline);
        throw new InvalidOperationException($"{Name} started but was not ready within {ReadyWithin.TotalSeconds} s: {last}.\n{Tail()}");
    }

    /// <summary>How long a started replica may take to answer ready.</summary>
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private static string Configuration() => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReturnOps.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
