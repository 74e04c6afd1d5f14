using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Returnees;

/// <summary>Rule 22: an interim measure suspends the seat at once, blocks the person until lifted, and no override passes it.</summary>
public sealed class LegalHoldTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Court = new(Caller.Court, "DE", "judge-7");
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");
    private static readonly Caller Fro = new(Caller.Fro, null, "fro-1");

    private InterimMeasure Rule39(DateOnly? until = null) =>
        new(InterimMeasureSource.EctHrRule39, "ECHR-R39-4711/26", DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime), until);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_hold_suspends_the_seat_at_once_and_tells_organiser_and_owner_the_rule_only(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 3));
        var held = await Returnee("DE");
        await Book(operation, "DE", "b1", [held], escorts: 2);
        await Book(operation, "HU", "w1", [await Returnee("HU")], escorts: 2);

        var placed = await Grains.PlaceLegalHoldAsync(held, Court, "lh-1", Rule39());

        Assert.Equal(new BookingRef("op-1", "b1"), placed.SuspendedIn);
        var statuses = (await operation.GetBookings(Organiser)).ToDictionary(b => b.Id, b => b.Status);
        Assert.Equal(BookingStatus.Suspended, statuses["b1"]);
        Assert.Equal(BookingStatus.Confirmed, statuses["w1"]);
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("AT")));
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("DE")));
        Assert.Equal(1, await Outbox("returnee.ineligible", Destination.Grain("return-operation", "op-1")));
        Assert.Equal(2, await Storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE payload LIKE '%{RuleCode.LegalHold}%' AND type = 'booking.suspended' AND destination IN ('country:AT', 'country:DE')"));
        // Data minimisation: no message carries the order's source or reference, whoever it goes to.
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM outbox WHERE payload LIKE '%ECHR-R39%' OR payload LIKE '%EctHr%'"));
        // Stored with the case: a new activation (another silo, a restart) still holds the person.
        Assert.Equal("ECHR-R39-4711/26", (await Grains.GetGrain<IReturneeGrain>(held).LegalHoldsOf(Court)).Single().Measure.Reference);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_held_person_cannot_be_booked_or_reinstated_until_the_hold_is_lifted(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync();
        var held = await Returnee("DE");
        var other = await Returnee("DE");
        await Book(operation, "DE", "b1", [other], escorts: 2);
        await Grains.PlaceLegalHoldAsync(held, Court, "lh-1", Rule39());
        await Grains.PlaceLegalHoldAsync(other, Caller.CoordinatorOf("DE"), "lh-2", Rule39() with { Source = InterimMeasureSource.NationalCourt });

        Assert.Equal(RuleCode.LegalHold, await RuleOf(() => Book(operation, "DE", "b2", [held], escorts: 2)));
        Assert.Contains(RuleCode.LegalHold, await RulesOf(() => operation.ReinstateBooking(Caller.CoordinatorOf("DE"), "b1")));
        Assert.Equal(ReturneeStatus.Ineligible, (await Grains.GetGrain<IReturneeGrain>(held).Get())!.Status);

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Grains.GetGrain<IReturneeGrain>(other).LiftLegalHold(Fro, "lh-2", " ")));
        var lifted = await Grains.GetGrain<IReturneeGrain>(other).LiftLegalHold(Fro, "lh-2", "Court lifted the order on appeal.");

        Assert.Equal(new LegalHoldActor(Caller.Fro, null, "fro-1"), lifted.Lifted!.By);
        Assert.Equal("Court lifted the order on appeal.", lifted.Lifted.Reason);
        Assert.Equal(BookingStatus.Confirmed, (await operation.ReinstateBooking(Caller.CoordinatorOf("DE"), "b1")).Status);
        Assert.Equal(RuleCode.InvalidTransition,
            await RuleOf(() => Grains.GetGrain<IReturneeGrain>(other).LiftLegalHold(Court, "lh-2", "again")));
    }

    [Fact]
    public async Task No_override_confirms_a_person_held_even_when_the_seat_was_not_yet_suspended()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var held = await Returnee("AT");
        await Book(operation, "AT", "b1", [held], escorts: 2, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await NameStaffAsync(operation);
        // Placed on the case without the relay: the operation has not heard yet (the outbox message is still on its way).
        await Grains.GetGrain<IReturneeGrain>(held).PlaceLegalHold(Caller.CoordinatorOf("AT"), "lh-1", Rule39());

        var rules = await RulesOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed, "Destination silent", OverrideClearance: true)));

        Assert.Contains(RuleCode.LegalHold, rules);
        Assert.Equal(OperationStatus.BookingClosed, (await operation.GetView())!.Status);
    }

    [Fact]
    public async Task A_hold_past_its_end_no_longer_blocks()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var held = await Returnee("DE");
        await Grains.PlaceLegalHoldAsync(held, Court, "lh-1", Rule39(until: DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddDays(2)));

        Assert.Equal(RuleCode.LegalHold, await RuleOf(() => Book(operation, "DE", "b1", [held], escorts: 2)));
        await AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "DE", "b2", [held], escorts: 2)).Status);
    }

    [Fact]
    public async Task Only_the_owning_states_coordinators_and_courts_and_the_fro_act_on_holds()
    {
        await StartAsync();
        var held = await Returnee("DE");
        var grain = Grains.GetGrain<IReturneeGrain>(held);

        foreach (var stranger in new[] { Caller.CoordinatorOf("AT"), new Caller(Caller.Court, "AT", "judge-at"), Caller.PartnerOf("DE"),
            Caller.SecretariatUser(), Caller.MonitorUser("m-1"), new Caller(Caller.Admin, null, "admin") })
        {
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.PlaceLegalHold(stranger, "lh-x", Rule39()));
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.LegalHoldsOf(stranger));
        }
        foreach (var (allowed, n) in new[] { (Court, 1), (Caller.CoordinatorOf("DE"), 2), (Fro, 3) })
        {
            await grain.PlaceLegalHold(allowed, $"lh-{n}", Rule39());
            Assert.Equal(n, (await grain.LegalHoldsOf(allowed)).Count);
        }
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.LiftLegalHold(Caller.CoordinatorOf("AT"), "lh-1", "no"));
        Assert.Null((await grain.LegalHoldsOf(Court)).Single(h => h.Id == "lh-1").Lifted);
    }

    [Fact]
    public async Task A_measure_is_checked_whole_and_a_bad_one_changes_nothing()
    {
        await StartAsync();
        var held = await Returnee("DE");
        var grain = Grains.GetGrain<IReturneeGrain>(held);
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            grain.PlaceLegalHold(Court, "lh-1", new InterimMeasure((InterimMeasureSource)9, " ", today.AddDays(1), today)));

        Assert.Equal(4, refused.Violations.Count);
        Assert.All(refused.Violations, v => Assert.Equal(RuleCode.Validation, v.Rule));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grain.LiftLegalHold(Court, "lh-1", "x"));
        Assert.Empty(await grain.LegalHoldsOf(Court));
    }
}
