using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using ReturnOps.BookingRush;
using ReturnOps.Grains.Bench;

// Usage: dotnet run -c Release --project bench/Grains.Bench -- [all|calls|memory] [--quick] [--out FILE]
var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var settings = args.Contains("--quick") ? Settings.Quick : Settings.Full;
var outIndex = Array.IndexOf(args, "--out");
var outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;

var steps = command switch
{
    "all" => new Func<Settings, Report, Task>[] { CallThroughput.RunAsync, ActivationMemory.RunAsync },
    "calls" => [CallThroughput.RunAsync],
    "memory" => [ActivationMemory.RunAsync],
    _ => null,
};
if (steps is null)
{
    Console.Error.WriteLine("Usage: Grains.Bench [all|calls|memory] [--quick] [--out FILE]");
    return 2;
}

var report = new Report();
var started = Stopwatch.GetTimestamp();
report.Line($"Run `{command}`{(settings == Settings.Quick ? " (quick)" : "")} at {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on " +
    $"{Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Orleans " +
    $"{typeof(Grain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split(' ', '+')[0].TrimEnd('.')}, " +
    $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}.");
report.Line();
foreach (var step in steps)
{
    await step(settings, report);
}
report.Line($"Total run time: {Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s.");
if (outFile is not null)
{
    await File.WriteAllTextAsync(outFile, report.ToString());
}
return 0;
