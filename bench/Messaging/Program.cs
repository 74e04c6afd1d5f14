using System.Globalization;
using ReturnOps.MessagingBench;
using ReturnOps.TestSupport;

// Messaging at line rate (issue 13, section 3): outbox → webhook deliveries per second against plain HttpClient POSTs to
// the same receivers in the same run, and the drain of a backlog after an outage, on PostgreSQL with fsync on and off.
// Exits 1 when a check fails (order per lane, each message applied once, nothing lost, nothing dead). Usage:
//   dotnet run -c Release --project bench/Messaging -- [--case deliveries|drain|both] [--fsync on|off|both]
//       [--destinations 1,20] [--lanes 100] [--per-lane 50] [--per-turn 10] [--samples 3]
//       [--outage 60] [--backlog-per-lane 100] [--messages-per-lane N (MessagingOptions.MessagesPerLane, default 20)] [--out FILE]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length && !args[x.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[x.i + 1] : "true");
string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var which = Option("case", "both");
if (options.TryGetValue("messages-per-lane", out var perClaim))
{
    BenchNode.MessagesPerLane = int.Parse(perClaim, CultureInfo.InvariantCulture);
}
var durabilities = Option("fsync", "both") switch
{
    "both" => new[] { "on", "off" },
    var one => [one],
};
var destinations = Option("destinations", "1,20").Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToList();
var lanes = Number("lanes", 100);
var outage = TimeSpan.FromSeconds(Number("outage", 60));

var report = new List<string>
{
    $"Run {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Measure.Load()} at start; " +
    $"MessagesPerLane {BenchNode.Options().MessagesPerLane}.",
};
var problems = new List<string>();
var profiles = new List<string>();
foreach (var fsync in durabilities)
{
    await using var server = await PostgresServer.StartAsync(durable: fsync == "on");
    if (which is "deliveries" or "both")
    {
        report.Add("");
        report.Add(DeliveriesRun.Header);
        foreach (var count in destinations)
        {
            var (row, profile, wrong) = await DeliveriesRun.RunAsync(server, fsync, count, lanes, Number("per-lane", 50), Number("per-turn", 10), Number("samples", 3));
            report.Add(row);
            profiles.Add(profile);
            Console.Error.WriteLine(row);
            problems.AddRange(wrong.Select(p => $"deliveries, fsync {fsync}, {count} destinations: {p}"));
        }
    }
    if (which is "drain" or "both")
    {
        var (row, profile, wrong) = await DrainRun.RunAsync(server, fsync, outage, lanes, Number("backlog-per-lane", 100));
        report.Add("");
        report.Add(DrainRun.Header);
        report.Add(row);
        profiles.Add(profile);
        Console.Error.WriteLine(row);
        problems.AddRange(wrong.Select(p => $"drain, fsync {fsync}: {p}"));
    }
}
report.Add("");
report.Add("Store calls of the dispatcher (count, rows, summed time; calls overlap):");
report.AddRange(profiles.Select(p => "- " + p));
report.Add("");
report.Add(problems.Count == 0
    ? "Checks: every lane applied in order, every message applied once, none lost, none dead."
    : "CHECKS FAILED:\n" + string.Join('\n', problems.Select(p => "- " + p)));
var text = string.Join(Environment.NewLine, report);
Console.WriteLine(text);
if (options.TryGetValue("out", out var file))
{
    await File.WriteAllTextAsync(file, text + Environment.NewLine);
}
return problems.Count == 0 ? 0 : 1;
