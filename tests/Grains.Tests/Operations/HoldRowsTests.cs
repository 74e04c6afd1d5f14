using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Holds as rows the operation writes (issue 22): a booking stores its returnees' holds in its own write and the returnees
/// write nothing; a cancellation takes them away in its write; the primary key stops a second booking of one returnee
/// that the returnee's memory did not catch; holds kept in returnee states before are copied to rows by the upgrade.
/// </summary>
public sealed class HoldRowsTests(SharedPostgres postgres) : DomainTestBase(postgres)
{

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_booking_stores_its_holds_in_its_own_write_and_a_cancellation_takes_them_away(string provider)
    {
        await StartProbedAsync(provider);
        var operation = await AnnouncedAsync();
        string[] family = [await Returnee("AT"), await Returnee("AT")];
        var returneeWrites = WriteProbe.Written("returnee").Writes;
        var operationWrites = WriteProbe.Written("return-operation").Writes;

        var booking = await Book(operation, "AT", "b1", family, escorts: 4);

        Assert.Equal(returneeWrites, WriteProbe.Written("returnee").Writes);
        Assert.Equal(operationWrites + 1, WriteProbe.Written("return-operation").Writes);
        Assert.Equal(2, await Storage.ScalarAsync("SELECT count(*) FROM returnee_hold WHERE operation_id = 'op-1' AND booking_id = 'b1'"));
        Assert.Equal(2, await Storage.ScalarAsync("SELECT count(*) FROM returnee_list WHERE status = 'Booked' AND operation_id = 'op-1'"));
        Assert.Equal(new BookingRef("op-1", booking.Id), (await Grains.GetGrain<IReturneeGrain>(family[0]).Get())!.Booking);

        await operation.CancelBooking(Caller.CoordinatorOf("AT"), "b1");

        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM returnee_hold"));
        Assert.Equal(2, await Storage.ScalarAsync("SELECT count(*) FROM returnee_list WHERE status = 'Available' AND operation_id = ''"));
        // Free again, also for another operation, and after the grains read their rows anew.
        await Cluster.DeactivateDomainGrainsAsync();
        var other = await AnnouncedAsync(id: "op-2");
        Assert.Equal(BookingStatus.Confirmed, (await Book(other, "AT", "b2", family, escorts: 4)).Status);
        Assert.Equal(2, await Storage.ScalarAsync("SELECT count(*) FROM returnee_hold WHERE operation_id = 'op-2'"));
    }

    /// <summary>The guarantee the rows serve: bookings of one returnee sent at once to two operations hold it once.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Concurrent_bookings_of_one_returnee_on_two_operations_hold_it_once(string provider)
    {
        await StartAsync(provider, silos: 2);
        var operations = new[] { await AnnouncedAsync(id: "op-1"), await AnnouncedAsync(id: "op-2") };
        var returnees = new[] { await Returnee("AT"), await Returnee("AT"), await Returnee("AT") };

        var attempts = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var returnee = returnees[i % returnees.Length];
            try
            {
                return (returnee, (BookingView?)await Book(operations[i % 2], "AT", $"b-{i}", [returnee], escorts: 2));
            }
            catch (DomainRuleException refused) when (refused.Rule == RuleCode.AlreadyBooked)
            {
                return (returnee, null);
            }
        })));

        foreach (var returnee in returnees)
        {
            Assert.Single(attempts, a => a.returnee == returnee && a.Item2 is not null);
            Assert.Equal(1, await Storage.ScalarAsync($"SELECT count(*) FROM returnee_hold WHERE id = '{returnee}'"));
        }
        var live = (await operations[0].GetBookings(Caller.CoordinatorOf("AT"))).Concat(await operations[1].GetBookings(Caller.CoordinatorOf("AT")));
        Assert.Equal(returnees.Order(), live.SelectMany(b => b.Returnees).Order());
    }

    /// <summary>
    /// Returnees activating at once are read together, in groups (a rush's cold returnees): each still gets its own state and
    /// hold, whether held, free, or never registered.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Returnees_activating_together_each_read_their_own_state_and_hold(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync();
        var returnees = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            returnees.Add(await Returnee("AT"));
        }
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var b = 0; b < 3; b++)
        {
            string[] pair = [returnees[2 * b], returnees[(2 * b) + 1]];
            var booking = await Book(operation, "AT", $"b{b}", pair, escorts: 4);
            held[pair[0]] = held[pair[1]] = booking.Id;
        }
        await Cluster.DeactivateDomainGrainsAsync();

        string[] everyone = [.. returnees, "rt-never-registered", .. returnees.Take(4)];
        var views = await Task.WhenAll(everyone.Select(id => Task.Run(() => Grains.GetGrain<IReturneeGrain>(id).Get())));

        foreach (var (id, view) in everyone.Zip(views))
        {
            if (id == "rt-never-registered")
            {
                Assert.Null(view);
                continue;
            }
            Assert.Equal(id, view!.Id);
            Assert.Equal(held.TryGetValue(id, out var booking) ? new BookingRef("op-1", booking) : null, view.Booking);
            Assert.Equal(held.ContainsKey(id) ? ReturneeStatus.Booked : ReturneeStatus.Available, view.Status);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_hold_the_returnee_did_not_know_of_fails_the_write_that_would_hold_it_twice(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        Assert.NotNull(await Grains.GetGrain<IReturneeGrain>(returnee).Get());
        // Another activation's booking, stored behind this returnee's back (what two activations meeting would leave).
        await Storage.ExecuteAsync($"INSERT INTO returnee_hold (id, operation_id, booking_id, context) VALUES ('{returnee}', 'op-elsewhere', 'bk-x', '')");

        await Assert.ThrowsAnyAsync<Exception>(() => Book(operation, "AT", "b1", [returnee], escorts: 2));

        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM booking_state"));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM outbox WHERE type LIKE 'booking.%'"));
        Assert.Equal(1, await Storage.ScalarAsync($"SELECT count(*) FROM returnee_hold WHERE id = '{returnee}' AND operation_id = 'op-elsewhere'"));
        // The failed write let the returnee go, so it reads its row before the next reservation: a clear refusal now.
        Assert.Equal(RuleCode.AlreadyBooked, await RuleOf(() => Book(operation, "AT", "b1", [returnee], escorts: 2)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Holds_kept_in_returnee_states_before_become_rows(string provider)
    {
        await StartAsync(provider);
        var returnee = await Returnee("AT");
        await Cluster.DeactivateDomainGrainsAsync();
        var legacy = provider == "Postgres"
            ? "UPDATE grain_state SET payload = jsonb_set(jsonb_set(payload::jsonb, '{booking}', '{\"operationId\":\"op-old\",\"bookingId\":\"bk-old\"}'), "
              + "'{bookedFor}', '{\"departure\":\"2027-01-01T00:00:00+00:00\",\"destinations\":[\"NG\"],\"fitToTravelWindowDays\":14}')::text WHERE grain_key = '" + returnee + "'"
            : "UPDATE grain_state SET payload = json_set(payload, '$.booking', json('{\"operationId\":\"op-old\",\"bookingId\":\"bk-old\"}'), "
              + "'$.bookedFor', json('{\"departure\":\"2027-01-01T00:00:00+00:00\",\"destinations\":[\"NG\"],\"fitToTravelWindowDays\":14}')) WHERE grain_key = '" + returnee + "'";
        Assert.Equal(1, await Storage.ExecuteAsync(legacy));

        await Storage.ExecuteAsync(ReturneeHolds.Migrations.Single(m => m.Module != ReturneeHolds.Module).SqlFor(provider));

        Assert.Equal(1, await Storage.ScalarAsync($"SELECT count(*) FROM returnee_hold WHERE id = '{returnee}' AND operation_id = 'op-old' AND booking_id = 'bk-old'"));
        var view = (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!;
        Assert.Equal((ReturneeStatus.Booked, new BookingRef("op-old", "bk-old")), (view.Status, view.Booking));
        var operation = await AnnouncedAsync();
        Assert.Equal(RuleCode.AlreadyBooked, await RuleOf(() => Book(operation, "AT", "b1", [returnee], escorts: 2)));
    }
}
