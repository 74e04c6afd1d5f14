using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Returnees;

/// <summary>Rule 2's early warning: a booked returnee who becomes ineligible loses the seat at once, and people are told.</summary>
public sealed class EarlyWarningTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Suspensive_appeal_suspends_the_seat_promotes_the_waitlist_and_notifies(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 3));
        var booked = await Returnee("DE");
        await Book(operation, "DE", "b1", [booked], escorts: 2);
        await Book(operation, "HU", "w1", [await Returnee("HU")], escorts: 2);
        var appealed = EligibleCase("DE") with { AppealPending = true, AppealSuspensive = true };

        var update = await Grains.UpdateReturneeAsync(booked, "DE", appealed);

        Assert.Equal(new BookingRef("op-1", "b1"), update.SuspendedIn);
        var statuses = (await operation.GetBookings(Caller.CoordinatorOf("AT"))).ToDictionary(b => b.Id, b => b.Status);
        Assert.Equal(BookingStatus.Suspended, statuses["b1"]);
        Assert.Equal(BookingStatus.Confirmed, statuses["w1"]);
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("AT")));
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("DE")));
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Carriers("op-1")));
        Assert.Equal(1, await Outbox("booking.promoted", Destination.Country("HU")));
        Assert.Equal(1, await Outbox("booking.promoted", Destination.Role("secretariat")));
        Assert.Equal(1, await Outbox("returnee.ineligible", Destination.Grain("return-operation", "op-1")));
        Assert.Contains((await operation.GetView())!.Warnings, w => w.StartsWith("suspended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Suspension_is_idempotent_so_a_redelivered_message_changes_nothing()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 3));
        var booked = await Returnee("DE");
        await Book(operation, "DE", "b1", [booked], escorts: 2);
        await Grains.UpdateReturneeAsync(booked, "DE", EligibleCase("DE") with { NonRefoulementCleared = false });

        await operation.SuspendReturnee(booked, [RuleCode.NonRefoulement]);

        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("DE")));
    }

    [Fact]
    public async Task FamilyUnity_a_booked_returnee_moved_to_another_family_suspends_the_booking()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var booked = await Returnee("DE");
        await Book(operation, "DE", "b1", [booked], escorts: 2);

        var update = await Grains.UpdateReturneeAsync(booked, "DE", EligibleCase("DE") with { FamilyGroup = "joined-later" });

        Assert.Equal([RuleCode.FamilyUnity], update.Violations.Select(v => v.Rule));
        Assert.Equal(BookingStatus.Suspended, (await operation.GetBookings(Caller.CoordinatorOf("DE")))[0].Status);
    }

    [Fact]
    public async Task A_change_that_keeps_the_returnee_eligible_suspends_nothing()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var booked = await Returnee("DE");
        await Book(operation, "DE", "b1", [booked], escorts: 2);

        var update = await Grains.UpdateReturneeAsync(booked, "DE", EligibleCase("DE") with { Vulnerabilities = ["disability"] });

        Assert.Null(update.SuspendedIn);
        Assert.Equal(BookingStatus.Confirmed, (await operation.GetBookings(Caller.CoordinatorOf("DE")))[0].Status);
    }

    [Fact]
    public async Task A_suspended_booking_is_reinstated_once_eligible_again_behind_the_waitlist()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 3));
        var booked = await Returnee("DE");
        await Book(operation, "DE", "b1", [booked], escorts: 2);
        await Grains.UpdateReturneeAsync(booked, "DE", EligibleCase("DE") with { AppealPending = true, AppealSuspensive = true });
        await Assert.ThrowsAsync<DomainRuleException>(() => operation.ReinstateBooking(Caller.CoordinatorOf("DE"), "b1"));
        await Book(operation, "HU", "b2", [await Returnee("HU")], escorts: 2);

        await Grains.UpdateReturneeAsync(booked, "DE", EligibleCase("DE"));
        var reinstated = await operation.ReinstateBooking(Caller.CoordinatorOf("DE"), "b1");

        Assert.Equal(BookingStatus.Waitlisted, reinstated.Status);
        Assert.True(reinstated.Sequence > 2);
    }

    [Fact]
    public async Task SuspensiveAppeal_suspends_only_that_returnees_seat_and_the_rest_of_the_booking_keeps_theirs()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 8));
        var appealing = await Returnee("DE");
        var travelling = await Returnee("DE");
        await Book(operation, "DE", "b1", [appealing, travelling], escorts: 4);
        var waiting = await Book(operation, "HU", "w1", [await Returnee("HU")], escorts: 2);
        Assert.Equal(BookingStatus.Waitlisted, waiting.Status);

        await Grains.UpdateReturneeAsync(appealing, "DE", EligibleCase("DE") with { AppealPending = true, AppealSuspensive = true });

        var bookings = (await operation.GetBookings(Caller.CoordinatorOf("DE"))).Single();
        Assert.Equal((BookingStatus.Confirmed, 1, 5), (bookings.Status, bookings.ReturneeCount, bookings.Seats));
        Assert.Equal([appealing], bookings.SuspendedReturnees);
        Assert.Equal(BookingStatus.Confirmed, (await operation.GetBookings(Caller.CoordinatorOf("HU"))).Single().Status);
        Assert.Equal([travelling], (await operation.GetManifest(Caller.CoordinatorOf("DE"))).Entries.Select(e => e.ReturneeId));
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("DE")));
        Assert.Equal(1, await Outbox("booking.promoted", Destination.Country("HU")));
    }

    [Fact]
    public async Task FamilyUnity_a_suspended_returnee_takes_its_family_in_the_booking_off_the_flight_with_it()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var parent = await Returnee("DE", c => c with { FamilyGroup = "f1" });
        var child = await Returnee("DE", c => c with { FamilyGroup = "f1" });
        var single = await Returnee("DE");
        await Book(operation, "DE", "b1", [parent, child, single], escorts: 6);

        await Grains.UpdateReturneeAsync(parent, "DE", EligibleCase("DE") with { FamilyGroup = "f1", AppealPending = true, AppealSuspensive = true });

        var booking = (await operation.GetBookings(Caller.CoordinatorOf("DE"))).Single();
        Assert.Equal(BookingStatus.Confirmed, booking.Status);
        Assert.Equal([parent, child], booking.SuspendedReturnees.Order(StringComparer.Ordinal));
        Assert.Equal([single], (await operation.GetManifest(Caller.CoordinatorOf("DE"))).Entries.Select(e => e.ReturneeId));
    }

    [Fact]
    public async Task A_suspended_returnee_comes_back_into_a_free_seat_of_its_confirmed_booking_or_is_refused_when_none_is_free()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 8));
        var appealing = await Returnee("DE");
        await Book(operation, "DE", "b1", [appealing, await Returnee("DE")], escorts: 4);
        await Grains.UpdateReturneeAsync(appealing, "DE", EligibleCase("DE") with { AppealPending = true, AppealSuspensive = true });
        await Book(operation, "HU", "h1", [], escorts: 0, medical: 3);
        await Grains.UpdateReturneeAsync(appealing, "DE", EligibleCase("DE"));

        // 5 + 3 seats confirmed: the freed seat went to Hungary's medics, so there is none to come back to.
        Assert.Equal(RuleCode.Capacity, await RuleOf(() => operation.ReinstateBooking(Caller.CoordinatorOf("DE"), "b1")));
        Assert.Equal([appealing], (await operation.GetBookings(Caller.CoordinatorOf("DE"))).Single().SuspendedReturnees);

        await operation.CancelBooking(Caller.CoordinatorOf("HU"), "h1");
        var back = await operation.ReinstateBooking(Caller.CoordinatorOf("DE"), "b1");

        Assert.Equal((BookingStatus.Confirmed, 2, 6), (back.Status, back.ReturneeCount, back.Seats));
        Assert.Empty(back.SuspendedReturnees);
        Assert.Equal(1, back.Sequence);
    }

    [Fact]
    public async Task Departure_lets_go_of_returnees_who_did_not_board_so_they_can_be_booked_again()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 6));
        var appealing = await Returnee("AT");
        var waiting = await Returnee("DE");
        await Book(operation, "AT", "b1", [appealing, await Returnee("AT")], escorts: 4);
        await Book(operation, "DE", "w1", [waiting], escorts: 2);
        await Grains.UpdateReturneeAsync(appealing, "AT", EligibleCase("AT") with { AppealPending = true, AppealSuspensive = true });
        await operation.AssignMonitor(Caller.SecretariatUser(), "m1");
        await Book(operation, "AT", "medic", [], escorts: 0, medical: 1);
        var organiser = Caller.CoordinatorOf("AT");
        await operation.ChangeStatus(organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);
        await operation.ChangeStatus(organiser, new StatusChange(OperationStatus.Confirmed));
        Assert.Equal(BookingStatus.Waitlisted, (await operation.GetBookings(Caller.CoordinatorOf("DE"))).Single().Status);

        await operation.ChangeStatus(organiser, new StatusChange(OperationStatus.Departed));

        await Grains.UpdateReturneeAsync(appealing, "AT", EligibleCase("AT"));
        var later = await AnnouncedAsync(Plan(capacity: 20), id: "op-2");
        Assert.Equal(BookingStatus.Confirmed, (await Book(later, "AT", "again", [appealing], escorts: 2)).Status);
        Assert.Equal(BookingStatus.Confirmed, (await Book(later, "DE", "again-de", [waiting], escorts: 2)).Status);
    }
}
