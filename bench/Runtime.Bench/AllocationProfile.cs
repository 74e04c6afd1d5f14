using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// Diagnostic, not part of <c>all</c>: which types a no-op grain call allocates, from the runtime's
/// sampled allocation events (one event per ~100 KB allocated, so counts are proportional to bytes).
/// </summary>
internal static class AllocationProfile
{
    public static async Task RunAsync(Settings settings, Report report)
    {
        await using var storage = await TestStorage.CreateAsync("Sqlite", () => throw new InvalidOperationException("SQLite only."));
        await using var host = await BenchHost.StartAsync(storage);
        var grain = host.Runtime.GetGrain<INoopGrain>("alloc");
        await grain.Ping();
        await Loop(grain, 100_000);

        const int calls = 2_000_000;
        using var listener = new AllocationListener();
        var before = GC.GetAllocatedBytesForCurrentThread();
        await Loop(grain, calls);
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;

        report.Heading("Allocation profile of `Task Ping()` through a grain reference");
        report.Line($"{perCall.ToString("N1", CultureInfo.InvariantCulture)} bytes per call on the calling thread over {calls:N0} calls. Sampled allocation events by type:");
        report.Line();
        report.Line("| type | samples |");
        report.Line("|---|---:|");
        foreach (var (type, count) in listener.Samples.OrderByDescending(p => p.Value).Take(15))
        {
            report.Line($"| `{type}` | {count} |");
        }
        report.Line();
    }

    private static async Task Loop(INoopGrain grain, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            await grain.Ping();
        }
    }

    private sealed class AllocationListener : EventListener
    {
        public ConcurrentDictionary<string, int> Samples { get; } = new(StringComparer.Ordinal);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.PayloadNames is { } names)
            {
                var index = names.IndexOf("TypeName");
                if (index >= 0 && eventData.Payload?[index] is string type)
                {
                    Samples.AddOrUpdate(type, 1, (_, n) => n + 1);
                }
            }
        }
    }
}
