using System.Diagnostics;

namespace ReturnOps.BookingRush;

/// <summary>
/// The steady scenario (<see cref="SteadyPlan"/>): every client, for the whole duration, books 1 or 2 of its returnees
/// (2 escorts each) on the one operation, then cancels that booking, and again. A cancellation that fails leaves its
/// returnees held, and the client books from the rest of its pool.
/// </summary>
internal static class SteadyRun
{
    public static async Task<RushResult> RunAsync(BookingSystem system, SteadyPlan plan, Setting setting, TimeSpan duration, int? postmaster)
    {
        var bookings = new List<(Answer Answer, double Ms)>[plan.Clients];
        var cancels = new List<(Answer Answer, double Ms)>[plan.Clients];
        var acknowledged = new List<Acknowledged>[plan.Clients];
        var cpu = CpuReading.Take(postmaster);
        var started = Stopwatch.GetTimestamp();
        var deadline = Measure.Deadline(duration);
        await Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(client => Task.Run(async () =>
        {
            var (booked, cancelled, told) = (bookings[client] = [], cancels[client] = [], acknowledged[client] = []);
            var country = plan.CountryOf(client);
            var free = new List<string>(plan.Pool(client));
            var random = new Random(client);
            while (Stopwatch.GetTimestamp() < deadline && free.Count > 0)
            {
                var size = Math.Min(free.Count, random.Next(1, 3));
                var returnees = free.GetRange(0, size).ToArray();
                var sent = Stopwatch.GetTimestamp();
                var answer = await system.BookAsync(new PlannedBooking(country, 0, returnees, 2 * size));
                booked.Add((answer, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));
                if (answer.BookingId is null)
                {
                    continue;
                }
                free.RemoveRange(0, size);
                sent = Stopwatch.GetTimestamp();
                var cancel = await system.CancelAsync(0, country, answer.BookingId);
                cancelled.Add((cancel, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));
                told.Add(new Acknowledged(0, answer.BookingId, cancel.Outcome == Outcome.Cancelled ? Cancellation.Done : Cancellation.Unknown));
                if (cancel.Outcome == Outcome.Cancelled)
                {
                    free.AddRange(returnees);
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = CpuReading.Take(postmaster);
        var load = Load.Now();
        var all = bookings.SelectMany(b => b).ToList();
        var latencies = all.Select(b => b.Ms).Order().ToArray();
        var cancelLatencies = cancels.SelectMany(c => c).Select(c => c.Ms).Order().ToArray();
        var errors = all.Count(b => b.Answer.Outcome == Outcome.Error);
        var check = await BookCheck.RunAsync(system, plan.Operations, [.. acknowledged.SelectMany(a => a)], errors);
        return new RushResult(setting, system.Name, plan.Clients, elapsed,
            Load.Percentile(latencies, 0.50), Load.Percentile(latencies, 0.95), Load.Percentile(latencies, 0.99),
            all.Count(b => b.Answer.Outcome == Outcome.Confirmed), all.Count(b => b.Answer.Outcome == Outcome.Waitlisted),
            all.Count(b => b.Answer.Outcome == Outcome.Refused), errors + cancels.SelectMany(c => c).Count(c => c.Answer.Outcome == Outcome.Error),
            cancels.SelectMany(c => c).Count(c => c.Answer.Outcome == Outcome.Cancelled), Load.Percentile(cancelLatencies, 0.99), check,
            after.OthersSince(cpu), load);
    }
}
