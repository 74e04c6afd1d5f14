using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Random waves of concurrent bookings, then concurrent bookings and cancellations, against the group-committed grain:
/// never overbooked, the first wave lands first fit in arrival order, and after the second no waitlisted booking fits the
/// seats left free, while every answered booking is stored once and survives reactivation.
/// </summary>
public sealed class GroupCommitPropertyTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private const int Capacity = 20;
    private static readonly string[] s_countries = ["AT", "DE", "FR", "NL", "PL", "HU", "CZ", "BE"];
    private int _runs;

    /// <summary>A booking of one voluntary returnee and <see cref="Observers"/> observers, or a cancellation of wave-one booking <see cref="Target"/>.</summary>
    public sealed record Request(bool Cancel, int Country, int Observers, int Target)
    {
        public override string ToString() => Cancel ? $"cancel(#{Target})" : $"book({s_countries[Country]}, {1 + Observers} seats)";
    }

    private static readonly Gen<Request> s_request =
        from cancel in Gen.Elements(false, false, true)
        from country in Gen.Choose(0, s_countries.Length - 1)
        from observers in Gen.Choose(0, 4)
        from target in Gen.Choose(0, 30)
        select new Request(cancel, country, observers, target);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Concurrent_bookings_and_cancellations_never_overbook_and_keep_arrival_order(string provider)
    {
        await StartAsync(provider);
        var waves = Arb.From(Gen.Zip(Gen.ListOf(s_request), Gen.ListOf(s_request)).Select(w => (First: w.Item1.Take(15).ToArray(), Second: w.Item2.Take(15).ToArray())));
        var property = Prop.ForAll(waves, w => Task.Run(() => RunAsync(w.First, w.Second)).GetAwaiter().GetResult());

        // On PostgreSQL fewer runs: each group's write is a round trip to a server, and what the provider adds (its SQL, its
        // transactions under concurrent groups) is exercised by every wave of any run, not by more random waves.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(provider == "Postgres" ? 5 : 15).WithQuietOnSuccess(true), property);
    }

    private async Task RunAsync(Request[] first, Request[] second)
    {
        var run = Interlocked.Increment(ref _runs);
        var id = $"gc-{run}";
        var operation = await AnnouncedAsync(Plan(capacity: Capacity), id);
        var organiser = Caller.CoordinatorOf("AT");

        var booked = await Task.WhenAll(first.Where(r => !r.Cancel).Select((r, i) => BookAsync(operation, r, $"{id}-1-{i}")));
        var afterFirst = await operation.GetBookings(organiser);
        Assert.Equal(booked.Select(b => b.Id).Order(), afterFirst.Select(b => b.Id).Order());
        GroupCommitTests.AssertFirstFitInArrivalOrder(afterFirst, Capacity);

        await Task.WhenAll(second.Select((r, i) => r.Cancel
            ? booked.Length == 0 ? Task.CompletedTask : operation.CancelBooking(Caller.CoordinatorOf(booked[r.Target % booked.Length].Country), booked[r.Target % booked.Length].Id)
            : BookAsync(operation, r, $"{id}-2-{i}")));
        var live = await operation.GetBookings(organiser);
        await Cluster.DeactivateDomainGrainsAsync();
        var reloaded = await operation.GetBookings(organiser);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(live), System.Text.Json.JsonSerializer.Serialize(reloaded));
        Assert.Equal(first.Count(r => !r.Cancel) + second.Count(r => !r.Cancel), reloaded.Count);
        var confirmed = reloaded.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats);
        Assert.True(confirmed <= Capacity, $"{confirmed} seats confirmed on {Capacity}");
        Assert.All(reloaded.Where(b => b.Status == BookingStatus.Waitlisted), b => Assert.True(b.Seats > Capacity - confirmed,
            $"{b.Id} waits with {b.Seats} seats while {Capacity - confirmed} are free"));
        Assert.Equal(reloaded.Count, reloaded.Select(b => b.Sequence).Distinct().Count());
    }

    private async Task<BookingView> BookAsync(IReturnOperationGrain operation, Request request, string bookingId)
    {
        var country = s_countries[request.Country];
        var returnee = await Returnee(country, c => c with { Voluntary = true });
        return await operation.RequestBooking(Caller.CoordinatorOf(country), new BookingRequest(bookingId, [returnee], 0, Observers: request.Observers)).Booking();
    }
}
