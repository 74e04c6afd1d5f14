using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Rules 4, 8 and 11 and the booking window: each test fails when its rule is removed.</summary>
public sealed class BookingRuleTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Fact]
    public async Task Capacity_booking_that_does_not_fit_is_waitlisted_whole()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 10));

        var first = await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2);
        var second = await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);
        var third = await Book(operation, "HU", "b3", [await Returnee("HU")], escorts: 2);
        var fourth = await Book(operation, "BE", "b4", [await Returnee("BE")], escorts: 2);

        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Confirmed, BookingStatus.Confirmed, BookingStatus.Waitlisted],
            [first.Status, second.Status, third.Status, fourth.Status]);
        var view = (await operation.GetView())!;
        Assert.Equal(new SeatSummary(10, 9, 3, 1), view.Seats);
    }

    [Fact]
    public async Task Capacity_booking_larger_than_the_aircraft_is_refused()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 4));

        string[] two = [await Returnee("AT"), await Returnee("AT")];

        Assert.Equal(RuleCode.Capacity, await RuleOf(() => Book(operation, "AT", "b1", two, escorts: 4)));
    }

    [Fact]
    public async Task Capacity_seats_count_returnees_and_all_staff()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 7));

        var booking = await operation.RequestBooking(Caller.CoordinatorOf("AT"),
            new BookingRequest("b1", [await Returnee("AT")], Escorts: 2, Medical: 1, Monitors: 1, Interpreters: 1, Observers: 1)).Booking();
        var staffOnly = await Book(operation, "DE", "b2", [], escorts: 0, medical: 1);

        Assert.Equal(7, booking.Seats);
        Assert.Equal(BookingStatus.Confirmed, booking.Status);
        Assert.Equal(BookingStatus.Waitlisted, staffOnly.Status);
    }

    [Fact]
    public async Task EscortRatio_two_escorts_per_forced_returnee_by_default()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        string[] two = [await Returnee("AT"), await Returnee("AT")];

        Assert.Equal(RuleCode.EscortRatio, await RuleOf(() => Book(operation, "AT", "b1", two, escorts: 3)));
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b2", two, escorts: 4)).Status);
    }

    [Fact]
    public async Task EscortRatio_is_a_per_operation_setting_and_voluntary_returnees_need_none()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan() with { EscortsPerReturnee = 1 });
        var forced = await Returnee("AT");
        var voluntary = await Returnee("AT", c => c with { Voluntary = true });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [forced, voluntary], escorts: 1)).Status);
    }

    [Theory]
    [InlineData(OperationType.Collecting)]
    [InlineData(OperationType.VoluntaryCharter)]
    public async Task EscortRatio_collecting_and_voluntary_charters_need_no_escorts(OperationType type)
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(type));
        // A voluntary charter takes only voluntary returnees (VoluntaryCharterTests); the escort rule is what is tested here.
        var returnee = await Returnee("AT", c => c with { Voluntary = type == OperationType.VoluntaryCharter });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [returnee], escorts: 0)).Status);
    }

    [Fact]
    public async Task EscortRatio_when_the_organiser_supplies_escorts_each_state_still_sends_two_representatives()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan() with { OrganiserSuppliesEscorts = true });
        string[] german = [await Returnee("DE"), await Returnee("DE")];

        Assert.Equal(RuleCode.EscortRatio, await RuleOf(() => Book(operation, "DE", "b1", german, escorts: 1)));
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "DE", "b2", german, escorts: 2)).Status);
    }

    [Fact]
    public async Task FamilyUnity_a_family_member_missing_from_the_booking_is_refused()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var mother = await Returnee("AT", c => c with { FamilyGroup = "f1", Voluntary = true });
        var child = await Returnee("AT", c => c with { FamilyGroup = "f1", Voluntary = true });

        Assert.Equal(RuleCode.FamilyUnity, await RuleOf(() => Book(operation, "AT", "b1", [mother], escorts: 0)));
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b2", [mother, child], escorts: 0)).Status);
    }

    [Fact]
    public async Task BookingClosed_after_the_deadline_even_before_the_reminder_fires()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        Clock.Advance(TimeSpan.FromDays(13));

        Assert.Equal(RuleCode.BookingClosed, await RuleOf(() => Book(operation, "AT", "b1", [returnee], escorts: 2)));
    }

    [Fact]
    public async Task BookingClosed_outside_announced()
    {
        await StartAsync();
        var operation = Grains.GetGrain<IReturnOperationGrain>("draft");
        await operation.Create(Plan());

        Assert.Equal(RuleCode.BookingClosed, await RuleOf(async () => await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2)));
    }

    [Fact]
    public async Task Waitlist_freed_seats_go_to_waitlisted_bookings_in_arrival_order_first_fit()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 6));
        await Book(operation, "AT", "big", [await Returnee("AT")], escorts: 5);          // 6 seats, confirmed
        await Book(operation, "DE", "w1", [await Returnee("DE")], escorts: 5);          // 6, waitlisted first
        await Book(operation, "HU", "w2", [await Returnee("HU")], escorts: 2);          // 3, waitlisted second
        await Book(operation, "BE", "w3", [await Returnee("BE")], escorts: 2);          // 3, waitlisted third

        await operation.CancelBooking(Caller.CoordinatorOf("AT"), "big");

        var statuses = (await operation.GetBookings(Caller.CoordinatorOf("AT"))).ToDictionary(b => b.Id, b => b.Status);
        Assert.Equal(BookingStatus.Cancelled, statuses["big"]);
        Assert.Equal(BookingStatus.Confirmed, statuses["w1"]);
        Assert.Equal(BookingStatus.Waitlisted, statuses["w2"]);
        Assert.Equal(BookingStatus.Waitlisted, statuses["w3"]);
    }

    [Fact]
    public async Task Waitlist_first_fit_skips_a_booking_too_big_for_the_free_seats()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 6));
        await Book(operation, "AT", "a", [await Returnee("AT")], escorts: 2);           // 3, confirmed
        await Book(operation, "DE", "b", [await Returnee("DE")], escorts: 2);           // 3, confirmed
        await Book(operation, "HU", "w1", [await Returnee("HU"), await Returnee("HU")], escorts: 4); // 6, waitlisted
        await Book(operation, "BE", "w2", [await Returnee("BE")], escorts: 2);          // 3, waitlisted

        await operation.CancelBooking(Caller.CoordinatorOf("AT"), "a");

        var statuses = (await operation.GetBookings(Caller.CoordinatorOf("AT"))).ToDictionary(b => b.Id, b => b.Status);
        Assert.Equal(BookingStatus.Waitlisted, statuses["w1"]);
        Assert.Equal(BookingStatus.Confirmed, statuses["w2"]);
    }

    [Fact]
    public async Task A_retried_booking_with_the_same_id_changes_nothing()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");

        var first = await Book(operation, "AT", "b1", [returnee], escorts: 2);
        var again = await Book(operation, "AT", "b1", [returnee], escorts: 2);

        Assert.Equal((first.Status, first.Sequence, first.Seats), (again.Status, again.Sequence, again.Seats));
        Assert.Equal(first.Returnees, again.Returnees);
        Assert.Equal(3, (await operation.GetView())!.Seats.Confirmed);
    }

    [Fact]
    public async Task A_returnee_holds_one_seat_only()
    {
        await StartAsync();
        var first = await AnnouncedAsync(id: "op-a");
        var second = await AnnouncedAsync(id: "op-b");
        var returnee = await Returnee("AT");
        await Book(first, "AT", "b1", [returnee], escorts: 2);

        Assert.Equal(RuleCode.AlreadyBooked, await RuleOf(() => Book(second, "AT", "b2", [returnee], escorts: 2)));
    }

    [Fact]
    public async Task A_country_books_only_its_own_returnees()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var german = await Returnee("DE");

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Book(operation, "AT", "b1", [german], escorts: 2)));
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(german).Get())!.Booking);
    }

    [Fact]
    public async Task Cancelling_a_booking_releases_its_returnees()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        await Book(operation, "AT", "b1", [returnee], escorts: 2);

        await operation.CancelBooking(Caller.CoordinatorOf("AT"), "b1");

        Assert.Equal(ReturneeStatus.Available, (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Status);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.CancelBooking(Caller.CoordinatorOf("DE"), "b1"));
    }

    [Fact]
    public async Task The_operation_list_row_is_written_with_the_booking()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 3));
        await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2);
        await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);

        Assert.Equal(3, await Storage.ScalarAsync("SELECT confirmed_seats FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(3, await Storage.ScalarAsync("SELECT waitlisted_seats FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(2, await Storage.ScalarAsync("SELECT count(*) FROM operation_participants WHERE operation_id = 'op-1'"));
    }
}
