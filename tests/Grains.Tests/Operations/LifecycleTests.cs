using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>The lifecycle's guards and the confirmation rules 7, 9, 10 and 13.</summary>
public sealed class LifecycleTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");

    [Fact]
    public async Task InvalidTransition_steps_out_of_order_are_refused()
    {
        await StartAsync();
        var operation = Grains.GetGrain<IReturnOperationGrain>("op-1");
        await operation.Create(Plan());

        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
        Assert.True(RuleCode.IsConflict(RuleCode.InvalidTransition));
    }

    [Fact]
    public async Task InvalidTransition_cancelled_only_before_departure()
    {
        await StartAsync();
        var operation = await ConfirmableAsync();
        await ClearAsync(operation);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));

        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Cancelled))));
        Assert.Equal(OperationStatus.Completed, (await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Completed))).Status);
    }

    [Fact]
    public async Task Only_the_organiser_moves_the_lifecycle()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => operation.ChangeStatus(Caller.CoordinatorOf("DE"), new StatusChange(OperationStatus.Cancelled)));
    }

    [Fact]
    public async Task BookingClosed_the_deadline_reminder_closes_booking_at_the_deadline_not_a_tick_before()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var deadline = (await operation.GetView())!.BookingDeadline;

        Assert.Equal(0, await FireAtAsync(deadline - OneTick));
        Assert.Equal(OperationStatus.Announced, (await operation.GetView())!.Status);
        Assert.Equal(1, await FireAtAsync(deadline));

        Assert.Equal(OperationStatus.BookingClosed, (await operation.GetView())!.Status);
    }

    [Fact]
    public async Task BookingClosed_not_by_a_tick_that_comes_before_the_deadline()
    {
        // The test hosts tick only what is due; a silo whose clock runs ahead of the grain's may not: the grain checks itself.
        await StartAsync();
        var operation = await AnnouncedAsync();
        var deadline = (await operation.GetView())!.BookingDeadline;
        Clock.SetUtcNow(deadline - OneTick);

        await operation.AsReference<IRemindable>().ReceiveReminder(OperationLifecycle.DeadlineReminder,
            new TickStatus(deadline.UtcDateTime, TimeSpan.FromMinutes(1), deadline.UtcDateTime));

        Assert.Equal(OperationStatus.Announced, (await operation.GetView())!.Status);
    }

    [Fact]
    public async Task MonitorRequired_to_confirm_a_forced_return()
    {
        await StartAsync();
        var operation = await ConfirmableAsync(monitor: false);
        await ClearAsync(operation);

        Assert.Equal(RuleCode.MonitorRequired, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        Assert.Equal(OperationStatus.Confirmed, (await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))).Status);
    }

    [Fact]
    public async Task EscortRatio_an_organiser_supplying_escorts_must_bring_them_all_to_confirm()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan() with { OrganiserSuppliesEscorts = true });
        await Book(operation, "DE", "de", [await Returnee("DE"), await Returnee("DE")], escorts: 2);
        await Book(operation, "AT", "at", [await Returnee("AT")], escorts: 4, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await ClearAsync(operation);

        // Three forced returnees need six escorts from the organiser; it booked four.
        Assert.Equal(RuleCode.EscortRatio, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
    }

    [Fact]
    public async Task EscortRatio_is_checked_again_at_confirmation_for_a_case_that_turned_forced_while_booked()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var voluntary = await Returnee("DE", c => c with { Voluntary = true });
        await Book(operation, "DE", "de", [voluntary], escorts: 0);
        await Book(operation, "AT", "at", [await Returnee("AT")], escorts: 2, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await ClearAsync(operation);
        await NameStaffAsync(operation);

        // Still eligible, but now forced: the booking brings no escort for it.
        await Grains.UpdateReturneeAsync(voluntary, "DE", EligibleCase("DE"));

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed)));
        Assert.Equal([RuleCode.EscortRatio], refused.Violations.Select(v => v.Rule));
        Assert.StartsWith("Booking de:", refused.Violations[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MedicalStaff_to_confirm_a_charter()
    {
        await StartAsync();
        var operation = await ConfirmableAsync(medical: 0);
        await ClearAsync(operation);

        Assert.Equal(RuleCode.MedicalStaff, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
    }

    [Fact]
    public async Task MedicalStaff_is_not_required_on_a_scheduled_flight()
    {
        await StartAsync();
        var operation = await ConfirmableAsync(medical: 0, type: OperationType.ScheduledFlight);
        await ClearAsync(operation);

        Assert.Equal(OperationStatus.Confirmed, (await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))).Status);
    }

    [Fact]
    public async Task ManifestClearance_is_needed_or_an_override_with_a_reason()
    {
        await StartAsync();
        var operation = await ConfirmableAsync();

        Assert.Equal(RuleCode.ManifestClearance, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
        Assert.Equal(RuleCode.ManifestClearance, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed, OverrideClearance: true))));
        var confirmed = await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed, "partner system down; cleared by phone", OverrideClearance: true));
        Assert.Equal("partner system down; cleared by phone", confirmed.OverrideReason);
    }

    [Fact]
    public async Task ManifestClearance_of_an_older_manifest_does_not_count()
    {
        await StartAsync();
        var operation = await ConfirmableAsync(secondBooking: true);
        await ClearAsync(operation);
        await operation.CancelBooking(Caller.CoordinatorOf("DE"), "late");

        Assert.Equal(RuleCode.ManifestClearance, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
    }

    [Fact]
    public async Task ManifestClearance_with_a_rejected_returnee_on_board_does_not_count()
    {
        await StartAsync();
        var operation = await ConfirmableAsync();
        var onBoard = (await operation.GetBookings(Organiser))[0].Returnees[0];
        await operation.ShareManifest(Organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [onBoard], "not our national"));

        Assert.Equal(RuleCode.ManifestClearance, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
    }

    [Fact]
    public async Task Confirmation_rechecks_that_every_confirmed_returnee_is_still_eligible()
    {
        await StartAsync();
        var operation = await ConfirmableAsync();
        await ClearAsync(operation);
        var onBoard = (await operation.GetBookings(Organiser))[0].Returnees[0];
        await Grains.GetGrain<IReturneeGrain>(onBoard).RecordReadmission("NG", Eligibility.Refused);

        Assert.Equal(RuleCode.Readmission, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
    }

    [Fact]
    public async Task Interpreter_missing_is_a_warning_not_a_block()
    {
        await StartAsync();
        var operation = await ConfirmableAsync();
        await ClearAsync(operation);

        var confirmed = await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));

        Assert.Equal(OperationStatus.Confirmed, confirmed.Status);
        Assert.Contains(confirmed.Warnings, w => w.StartsWith("interpreter", StringComparison.Ordinal));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));
        var completed = await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Completed));
        Assert.Empty(completed.Warnings);
    }

    /// <summary>A booked, closed operation that only waits for the confirmation guards.</summary>
    private async Task<IReturnOperationGrain> ConfirmableAsync(bool monitor = true, int medical = 1, OperationType type = OperationType.Joint, bool secondBooking = false)
    {
        var operation = await AnnouncedAsync(Plan(type));
        await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2, medical: medical);
        if (secondBooking)
        {
            await Book(operation, "DE", "late", [await Returnee("DE")], escorts: 2);
        }
        if (monitor)
        {
            await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        }
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await NameStaffAsync(operation);
        return operation;
    }

    private static async Task ClearAsync(IReturnOperationGrain operation)
    {
        await operation.ShareManifest(Organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
    }
}
