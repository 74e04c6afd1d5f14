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
}
