using System.Diagnostics;
using System.Globalization;
using ReturnOps.TenYears;

// Ten years of data on both databases (issue 16): builds the data set, loads it, checks that every case is reachable by its
// owner and by no one else and that statistics match a SQL sum, then measures every list and statistics endpoint with
// 8 connections. Usage (docs/performance.md):
//   dotnet run -c Release --project bench/TenYears -- [--provider Sqlite|Postgres|both] [--cases N] [--operations N]
//                                                      [--seconds S] [--out FILE]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length && !args[x.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[x.i + 1] : "true");
string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;

var providers = Option("provider", "both") switch
{
    "both" => new[] { "Postgres", "Sqlite" },
    var one => [one],
};
var cases = int.Parse(Option("cases", "500000"), CultureInfo.InvariantCulture);
var operations = int.Parse(Option("operations", "3000"), CultureInfo.InvariantCulture);
var seconds = double.Parse(Option("seconds", "5"), CultureInfo.InvariantCulture);

var watch = Stopwatch.StartNew();
var data = DataSet.Build(operations, cases);
Console.Error.WriteLine($"data set: {data.Operations.Count:N0} operations, {data.Cases.Count:N0} cases in {watch.Elapsed.TotalSeconds:F1} s");

var report = new List<string>
{
    $"Run {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({Environment.OSVersion}), .NET {Environment.Version}; " +
    $"{data.Operations.Count:N0} operations, {data.Cases.Count:N0} cases; 8 connections, {seconds} s per endpoint after 1 s warm-up.",
};
foreach (var provider in providers)
{
    await using var database = await BenchDatabase.CreateAsync(provider);
    report.AddRange(await VolumeRun.RunAsync(provider, database.ConnectionString, data, TimeSpan.FromSeconds(seconds)));
}
var text = string.Join(Environment.NewLine, report);
Console.WriteLine(text);
if (options.TryGetValue("out", out var file))
{
    await File.WriteAllTextAsync(file, text + Environment.NewLine);
}
