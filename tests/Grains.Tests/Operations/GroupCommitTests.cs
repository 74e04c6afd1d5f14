using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Group commit (issue 13): bookings that wait for the operation are decided one by one in memory and stored together;
/// each caller is answered after the write that holds its booking, and a failed write leaves nothing of its bookings.
/// </summary>
public sealed class GroupCommitTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private const string OperationType = "return-operation";
    private static readonly string[] Countries = [.. Enumerable.Range(0, 20).Select(i => $"{(char)('A' + i)}Z")];


    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_hundred_bookings_at_once_share_writes_never_overbook_and_are_stored_once_in_arrival_order(string provider)
    {
        await StartProbedAsync(provider);
        const int capacity = 300;
        var operation = await AnnouncedAsync(Plan(capacity: capacity));
        var requests = await RequestsAsync(200, i => i % 4);
        var writesBefore = WriteProbe.Written(OperationType).Writes;

        var answers = await Task.WhenAll(requests.Select(r => Task.Run(() =>
            operation.RequestBooking(Caller.CoordinatorOf(r.Country), r.Request).Booking())));

        var writes = WriteProbe.Written(OperationType).Writes - writesBefore;
        Assert.True(writes < requests.Count, $"{requests.Count} bookings took {writes} writes: none were stored together");
        await Cluster.DeactivateDomainGrainsAsync();
        var stored = await operation.GetBookings(Caller.CoordinatorOf("AT"));
        Assert.Equal(requests.Select(r => r.Request.BookingId).Order(), stored.Select(b => b.Id).Order());
        Assert.Equal(requests.Count, await Storage.ScalarAsync("SELECT count(*) FROM booking_state WHERE operation_id = 'op-1'"));
        Assert.Equal(stored.Count, stored.Select(b => b.Sequence).Distinct().Count());
        // Each caller was told what is stored, and the stored outcome is first fit in arrival order.
        var byId = stored.ToDictionary(b => b.Id);
        Assert.All(answers, a => Assert.Equal((a.Status, a.Sequence), (byId[a.Id].Status, byId[a.Id].Sequence)));
        AssertFirstFitInArrivalOrder(stored, capacity);
        Assert.True(stored.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats) <= capacity);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_write_fails_every_booking_it_held_keeps_none_frees_their_returnees_and_a_retry_succeeds(string provider)
    {
        await StartProbedAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 100));
        var requests = await RequestsAsync(30, _ => 0);
        WriteProbe.FailNextWrites(OperationType);

        var outcomes = await Task.WhenAll(requests.Select(r => Task.Run(async () =>
        {
            try
            {
                await operation.RequestBooking(Caller.CoordinatorOf(r.Country), r.Request).Booking();
                return null;
            }
            catch (Exception ex) when (ex is not RefusalException)
            {
                return ex;
            }
        })));

        var failed = requests.Where((_, i) => outcomes[i] is not null).ToList();
        Assert.NotEmpty(failed);
        // The test silos keep Orleans' default exception filter, so the storage failure arrives by name (the silo hosting lets it through whole).
        Assert.All(outcomes.OfType<Exception>(), ex => Assert.Contains(nameof(StorageUnavailableException), ex.ToString(), StringComparison.Ordinal));
        var kept = requests.Except(failed).Select(r => r.Request.BookingId).ToHashSet();
        await AssertStoredAsync(operation, kept);
        await Cluster.DeactivateDomainGrainsAsync();
        await AssertStoredAsync(operation, kept);
        foreach (var (_, request) in failed)
        {
            Assert.Null((await Grains.GetGrain<IReturneeGrain>(request.Returnees[0]).Get())!.Booking);
        }

        // The same booking ids, sent again, are booked now.
        foreach (var (country, request) in failed)
        {
            Assert.Equal(BookingStatus.Confirmed, (await operation.RequestBooking(Caller.CoordinatorOf(country), request).Booking()).Status);
        }
        await AssertStoredAsync(operation, requests.Select(r => r.Request.BookingId).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_read_during_the_rush_shows_only_stored_bookings_never_one_whose_write_failed(string provider)
    {
        await StartProbedAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 200));
        var requests = await RequestsAsync(60, _ => 0);
        WriteProbe.FailNextWrites(OperationType);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        using var rushOver = new CancellationTokenSource();

        // Readers ask for the bookings again and again while the bookings are decided, batched, stored or failed.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!rushOver.IsCancellationRequested || reads == 0)
            {
                try
                {
                    foreach (var booking in await operation.GetBookings(Caller.CoordinatorOf("AT")))
                    {
                        seen.TryAdd(booking.Id, 0);
                    }
                    reads++;
                }
                catch (Exception ex) when (ex.ToString().Contains(nameof(StorageUnavailableException), StringComparison.Ordinal))
                {
                    // The activation is reloading after the failed write: asked again, it reads storage.
                }
            }
            return reads;
        })).ToArray();
        var outcomes = await Task.WhenAll(requests.Select(r => Task.Run(async () =>
        {
            try
            {
                await operation.RequestBooking(Caller.CoordinatorOf(r.Country), r.Request).Booking();
                return true;
            }
            catch (Exception ex) when (ex is not RefusalException)
            {
                return false;
            }
        })));
        await rushOver.CancelAsync();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));

        var lost = requests.Where((_, i) => !outcomes[i]).Select(r => r.Request.BookingId).ToHashSet();
        Assert.NotEmpty(lost);
        await Cluster.DeactivateDomainGrainsAsync();
        var stored = (await operation.GetBookings(Caller.CoordinatorOf("AT"))).Select(b => b.Id).ToHashSet();
        // What a reader saw was stored; a booking whose write failed was never shown.
        Assert.Subset(stored, seen.Keys.ToHashSet());
        Assert.Empty(lost.Intersect(seen.Keys));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Of_two_bookings_carrying_the_same_revision_exactly_one_passes(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync();
        var read = (await operation.GetView())!.Version;
        var requests = await RequestsAsync(2, _ => 0);

        var outcomes = await Task.WhenAll(requests.Select(r => Task.Run(async () =>
        {
            try
            {
                await operation.RequestBooking(Caller.CoordinatorOf(r.Country), r.Request, read).Booking();
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, passed => passed);
        var refused = requests[Array.IndexOf(outcomes, false)].Request;
        Assert.Single(await operation.GetBookings(Caller.CoordinatorOf("AT")));
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(refused.Returnees[0]).Get())!.Booking);
        Assert.Equal(read + 1, (await operation.GetView())!.Version);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Cancellations_at_once_share_writes_promote_the_waitlist_in_order_and_a_failed_one_keeps_its_booking(string provider)
    {
        await StartProbedAsync(provider);
        const int capacity = 10;
        var operation = await AnnouncedAsync(Plan(capacity: capacity));
        var requests = await RequestsAsync(2 * capacity + 1, _ => 0);
        foreach (var (country, request) in requests)
        {
            await operation.RequestBooking(Caller.CoordinatorOf(country), request).Booking();
        }
        var confirmed = requests.Take(capacity).ToList();
        var writesBefore = WriteProbe.Written(OperationType).Writes;
        var revisionBefore = (await operation.GetAccess())!.Version;

        // The confirmed bookings but one are cancelled at once: decided like bookings, stored together. The first one's
        // write is held until the others are decided (the access check reads the revision they moved), so the test does
        // not depend on how fast the calls arrive.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = WriteProbe.HoldNextWrite(OperationType, release.Task);
        Task Cancel((string Country, BookingRequest Request) r) => operation.CancelBooking(Caller.CoordinatorOf(r.Country), r.Request.BookingId);
        var first = Cancel(confirmed[1]);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        var others = confirmed.Skip(2).Select(r => Task.Run(() => Cancel(r))).ToList();
        try
        {
            await Eventually.True(async () =>
            {
                Assert.DoesNotContain(others, o => o.IsFaulted);
                return (await operation.GetAccess())!.Version == revisionBefore + capacity - 1;
            }, "every other cancellation decided while the first one's write is held");
            Assert.False(first.IsCompleted, "a cancellation is answered after its write");
        }
        finally
        {
            // Released on failure too: the activation would otherwise wait for the held write when the test ends.
            release.TrySetResult();
        }
        await Task.WhenAll([first, .. others]);

        Assert.Equal(2, WriteProbe.Written(OperationType).Writes - writesBefore);
        await Cluster.DeactivateDomainGrainsAsync();
        var stored = (await operation.GetBookings(Caller.CoordinatorOf("AT"))).ToDictionary(b => b.Id);
        // The waitlist moved up in arrival order into exactly the seats freed; the last request still waits.
        Assert.All(requests.Skip(capacity).Take(capacity - 1), r => Assert.Equal(BookingStatus.Confirmed, stored[r.Request.BookingId].Status));
        Assert.Equal(BookingStatus.Waitlisted, stored[requests[^2].Request.BookingId].Status);
        Assert.Equal(BookingStatus.Waitlisted, stored[requests[^1].Request.BookingId].Status);
        Assert.Equal(capacity, stored.Values.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats));
        foreach (var (_, request) in confirmed.Skip(1))
        {
            Assert.Equal(BookingStatus.Cancelled, stored[request.BookingId].Status);
            Assert.Null((await Grains.GetGrain<IReturneeGrain>(request.Returnees[0]).Get())!.Booking);
        }

        // A cancellation whose write fails changes nothing: the booking keeps its seat and its returnee.
        var (keptCountry, kept) = confirmed[0];
        WriteProbe.FailNextWrites(OperationType);
        await Assert.ThrowsAnyAsync<Exception>(() => operation.CancelBooking(Caller.CoordinatorOf(keptCountry), kept.BookingId));
        await Cluster.DeactivateDomainGrainsAsync();
        Assert.Equal(BookingStatus.Confirmed, (await operation.GetBookings(Caller.CoordinatorOf("AT"))).Single(b => b.Id == kept.BookingId).Status);
        Assert.Equal(kept.BookingId, (await Grains.GetGrain<IReturneeGrain>(kept.Returnees[0]).Get())!.Booking!.BookingId);

        // Sent again, it is cancelled, and so is a retry of it.
        await operation.CancelBooking(Caller.CoordinatorOf(keptCountry), kept.BookingId);
        await operation.CancelBooking(Caller.CoordinatorOf(keptCountry), kept.BookingId);
        Assert.Equal(BookingStatus.Cancelled, (await operation.GetBookings(Caller.CoordinatorOf("AT"))).Single(b => b.Id == kept.BookingId).Status);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(kept.Returnees[0]).Get())!.Booking);
        Assert.Equal(BookingStatus.Confirmed, (await operation.GetBookings(Caller.CoordinatorOf("AT"))).Single(b => b.Id == requests[^2].Request.BookingId).Status);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_access_check_before_a_change_answers_while_a_write_is_in_flight_and_the_view_waits_for_it(string provider)
    {
        await StartProbedAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 10));
        var before = (await operation.GetView())!.Version;
        var (country, request) = (await RequestsAsync(1, _ => 0))[0];
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = WriteProbe.HoldNextWrite(OperationType, release.Task);

        var booking = operation.RequestBooking(Caller.CoordinatorOf(country), request).Booking();
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        // The booking is decided and its write waits: the gateway's check before the next change answers from memory at once,
        // with the revision the pending booking moved; the view (a read of stored state) waits for the write.
        var access = await operation.GetAccess().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((before + 1, OperationStatus.Announced, "AT"), (access!.Version, access.Status, access.Organiser));
        var view = operation.GetView();
        var viewAfterTheWrite = view.ContinueWith(_ => release.Task.IsCompleted, TaskScheduler.Default);
        // Asked after the view, answered at once again: the grain took its messages while the view waits.
        Assert.Equal(before + 1, (await operation.GetAccess().WaitAsync(TimeSpan.FromSeconds(30)))!.Version);
        Assert.False(booking.IsCompleted, "the booking is answered after its write");

        release.SetResult();
        Assert.Equal(BookingStatus.Confirmed, (await booking).Status);
        Assert.True(await viewAfterTheWrite, "the view waited for the write in flight");
        Assert.Equal(before + 1, (await view)!.Version);
        Assert.Null(await Grains.GetGrain<IReturnOperationGrain>("op-none").GetAccess());
    }

    private async Task AssertStoredAsync(IReturnOperationGrain operation, IReadOnlySet<string> expected)
    {
        var stored = await operation.GetBookings(Caller.CoordinatorOf("AT"));
        Assert.Equal(expected.Order(), stored.Select(b => b.Id).Order());
        Assert.Equal(expected.Count, await Storage.ScalarAsync("SELECT count(*) FROM booking_state WHERE operation_id = 'op-1'"));
        Assert.Equal(expected.Count, await Storage.ScalarAsync("SELECT count(*) FROM operation_bookings WHERE operation_id = 'op-1'"));
    }

    /// <summary>Requests from 20 countries, one voluntary returnee each and <paramref name="observers"/> observers (seats vary).</summary>
    private async Task<List<(string Country, BookingRequest Request)>> RequestsAsync(int count, Func<int, int> observers)
    {
        var requests = new List<(string, BookingRequest)>();
        for (var i = 0; i < count; i++)
        {
            var country = Countries[i % Countries.Length];
            var returnee = await Returnee(country, c => c with { Voluntary = true });
            requests.Add((country, new BookingRequest($"{country}-{i}", [returnee], 0, Observers: observers(i))));
        }
        return requests;
    }

    /// <summary>Places the bookings again one by one in their arrival order: each must land where the grain put it.</summary>
    internal static void AssertFirstFitInArrivalOrder(IEnumerable<BookingView> bookings, int capacity)
    {
        var free = capacity;
        foreach (var booking in bookings.OrderBy(b => b.Sequence))
        {
            var expected = booking.Seats <= free ? BookingStatus.Confirmed : BookingStatus.Waitlisted;
            Assert.True(expected == booking.Status, $"booking {booking.Id} (#{booking.Sequence}, {booking.Seats} seats, {free} free) is {booking.Status}, arrival order gives {expected}");
            free -= expected == BookingStatus.Confirmed ? booking.Seats : 0;
        }
    }
}
