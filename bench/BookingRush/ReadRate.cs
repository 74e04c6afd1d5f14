using System.Diagnostics;

namespace ReturnOps.BookingRush;

/// <summary>What the audited and the unaudited read came to, side by side, on one host.</summary>
public sealed record ReadRates(string Durability, string Topology, int Clients, double Unaudited, double Audited, int Failures, double Load)
{
    public double Ratio => Audited / Unaudited;
}

/// <summary>
/// Issue 13 §1: an audited GET must reach at least half the rate of an unaudited one. Both read one operation (an
/// announced one without bookings, set up for this) through the same gateway, as its organiser: the unaudited
/// <c>GET /operations/{id}</c> (no personal data) and the audited <c>GET /operations/{id}/bookings</c> (personal data:
/// one audit entry per call, in the hash chain, written before the answer leaves). Each is driven by the same number of
/// concurrent clients for the same time; the unaudited one first.
/// </summary>
internal static class ReadRate
{
    public static async Task<ReadRates> RunAsync(ReturnOpsSystem system, string durability, string topology, int clients, TimeSpan duration)
    {
        var operation = system.Operations[0];
        var failures = 0;
        async Task<double> RateAsync(string path)
        {
            var deadline = Measure.Deadline(duration);
            var started = Stopwatch.GetTimestamp();
            var done = 0;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    if (await system.GetAsync(path))
                    {
                        Interlocked.Increment(ref done);
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })));
            return done / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        // Warm-up of both paths (JIT, the operation's activation, the audit writer), not counted.
        await system.GetAsync($"/api/v1/operations/{operation}");
        await system.GetAsync($"/api/v1/operations/{operation}/bookings");
        var unaudited = await RateAsync($"/api/v1/operations/{operation}");
        var audited = await RateAsync($"/api/v1/operations/{operation}/bookings");
        return new ReadRates(durability, topology, clients, unaudited, audited, failures, Load.Now());
    }
}
