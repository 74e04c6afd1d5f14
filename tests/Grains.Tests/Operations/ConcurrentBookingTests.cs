using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Rule 11 under a booking rush: 20 countries × 10 clerks at once, on one or two silos.</summary>
public sealed class ConcurrentBookingTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private const int Countries = 20;
    private const int ClerksPerCountry = 10;
    private const int Capacity = 150;

    public static TheoryData<string, int> Topologies => new() { { "Sqlite", 1 }, { "Postgres", 1 }, { "Postgres", 2 } };

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task Capacity_twenty_countries_times_ten_concurrent_bookings_never_overbook_and_lose_nothing(string provider, int silos)
    {
        await StartAsync(provider, silos);
        var countries = Enumerable.Range(0, Countries).Select(i => $"{(char)('A' + i)}X").ToArray();
        await AnnouncedAsync(Plan(capacity: Capacity));
        var requests = new List<(string Country, BookingRequest Request)>();
        foreach (var country in countries)
        {
            for (var clerk = 0; clerk < ClerksPerCountry; clerk++)
            {
                // 1 forced returnee + 2 escorts = 3 seats; voluntary bookings of 1 or 2 seats make the fit uneven.
                var forced = clerk % 3 != 0;
                var returnee = await Returnee(country, c => c with { Voluntary = !forced });
                requests.Add((country, new BookingRequest($"{country}-{clerk}", [returnee], forced ? 2 : 0, Observers: clerk % 2)));
            }
        }

        // Calls start in every silo in turn; Orleans routes them all to the operation's one activation, so each is
        // answered on its first attempt: no caller retries, and no version race reaches anyone.
        var results = await Task.WhenAll(requests.Select((r, i) => Task.Run(() =>
            Cluster[i % silos].GetGrain<IReturnOperationGrain>("op-1").RequestBooking(Caller.CoordinatorOf(r.Country), r.Request).Booking())));

        Assert.Equal(1, await Cluster.ActivationCountAsync(Grains.GetGrain<IReturnOperationGrain>("op-1")));
        var requested = requests.Sum(r => r.Request.Returnees.Count + r.Request.Escorts + r.Request.Observers);
        var bookings = await Cluster[0].GetGrain<IReturnOperationGrain>("op-1").GetBookings(Caller.CoordinatorOf("AT"));
        var view = (await Cluster[0].GetGrain<IReturnOperationGrain>("op-1").GetView())!;
        Assert.Equal(Countries * ClerksPerCountry, bookings.Count);
        Assert.True(view.Seats.Confirmed <= Capacity, $"{view.Seats.Confirmed} seats confirmed on {Capacity}");
        Assert.Equal(requested, view.Seats.Confirmed + view.Seats.Waitlisted);
        Assert.Equal(results.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats), view.Seats.Confirmed);
        // No waitlisted booking fits the seats left over: first fit was applied under concurrency too.
        Assert.All(bookings.Where(b => b.Status == BookingStatus.Waitlisted), b => Assert.True(b.Seats > view.Seats.Free));
        Assert.Equal(view.Seats.Confirmed, await Storage.ScalarAsync("SELECT confirmed_seats FROM operation_list WHERE id = 'op-1'"));
        foreach (var (country, request) in requests.Take(20))
        {
            var booked = await Cluster[0].GetGrain<IReturneeGrain>(request.Returnees[0]).Get();
            Assert.Equal(new BookingRef("op-1", request.BookingId), booked!.Booking);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_returnee_booked_on_two_operations_at_once_gets_exactly_one_seat(string provider)
    {
        await StartAsync(provider);
        var operations = new[] { await AnnouncedAsync(Plan(capacity: 100), "op-a"), await AnnouncedAsync(Plan(capacity: 100), "op-b") };
        var returnees = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            returnees.Add(await Returnee("AT"));
        }

        var attempts = await Task.WhenAll(returnees.SelectMany(r => operations.Select((operation, o) => Task.Run(async () =>
        {
            try
            {
                await Book(operation, "AT", $"{r}-{o}", [r], escorts: 2);
                return true;
            }
            catch (DomainRuleException ex) when (ex.Rule == RuleCode.AlreadyBooked)
            {
                return false;
            }
        }))));

        Assert.Equal(returnees.Count, attempts.Count(booked => booked));
        var seats = 0;
        foreach (var operation in operations)
        {
            seats += (await operation.GetView())!.Seats.Confirmed;
        }
        Assert.Equal(returnees.Count * 3, seats);
    }
}
