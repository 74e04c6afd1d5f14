using System.Collections.Concurrent;

namespace ReturnOps.Storage.Tests.Grains;

/// <summary>
/// Reminder ticks seen in this test process. Static because a tick arrives in whichever silo owns the grain's
/// range, in a grain activation the test cannot reach; each test uses its own grain keys.
/// </summary>
public static class TickLog
{
    private static readonly ConcurrentDictionary<(string Grain, string Reminder), int> s_ticks = new();

    public static void Record(string grain, string reminder) => s_ticks.AddOrUpdate((grain, reminder), 1, static (_, n) => n + 1);

    public static int Count(string grain, string reminder) => s_ticks.GetValueOrDefault((grain, reminder));
}
