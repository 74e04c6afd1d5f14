using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>The lifecycle's guards and moves decided with no cluster (<see cref="OperationLifecycle"/>).</summary>
public sealed class LifecycleTests
{
    private static readonly Caller s_organiser = Caller.CoordinatorOf("AT");

    private static readonly (OperationStatus From, OperationStatus To)[] s_steps =
    [
        (OperationStatus.Draft, OperationStatus.Announced),
        (OperationStatus.Draft, OperationStatus.Cancelled),
        (OperationStatus.Announced, OperationStatus.BookingClosed),
        (OperationStatus.Announced, OperationStatus.Cancelled),
        (OperationStatus.BookingClosed, OperationStatus.Confirmed),
        (OperationStatus.BookingClosed, OperationStatus.Cancelled),
        (OperationStatus.Confirmed, OperationStatus.Departed),
        (OperationStatus.Confirmed, OperationStatus.Cancelled),
        (OperationStatus.Departed, OperationStatus.Completed),
    ];

    [Fact]
    public void Only_the_steps_of_the_table_are_allowed_and_an_ended_operation_goes_nowhere()
    {
        var allowed = Enum.GetValues<OperationStatus>().SelectMany(from => Enum.GetValues<OperationStatus>().Select(to => (from, to)))
            .Where(step => OperationLifecycle.Allows(step.from, step.to)).Select(step => (step.from, step.to)).ToArray();

        Assert.Equal(s_steps, allowed);
    }

    [Theory]
    [InlineData(OperationStatus.Draft, OperationStatus.BookingClosed)]
    [InlineData(OperationStatus.Announced, OperationStatus.Confirmed)]
    [InlineData(OperationStatus.Departed, OperationStatus.Cancelled)]
    [InlineData(OperationStatus.Cancelled, OperationStatus.Announced)]
    public void A_skipped_or_backward_step_is_an_invalid_transition(OperationStatus from, OperationStatus to)
    {
        var operation = new AnnouncedOperation();
        operation.State.Status = from;

        var refused = Assert.Throws<DomainRuleException>(() => Lifecycle(operation).Check(s_organiser, new StatusChange(to), AnnouncedOperation.Now));

        Assert.Equal([RuleCode.InvalidTransition], refused.Violations.Select(v => v.Rule));
    }

    [Fact]
    public void Only_the_organiser_moves_the_lifecycle()
    {
        var operation = new AnnouncedOperation();

        Assert.Throws<AccessDeniedException>(() => Lifecycle(operation).Check(Caller.CoordinatorOf("DE"), new StatusChange(OperationStatus.BookingClosed), AnnouncedOperation.Now));
        Assert.Throws<AccessDeniedException>(() => Lifecycle(operation).Check(Caller.PartnerOf("AT"), new StatusChange(OperationStatus.BookingClosed), AnnouncedOperation.Now));
        Lifecycle(operation).Check(s_organiser, new StatusChange(OperationStatus.BookingClosed), AnnouncedOperation.Now);
    }

    [Fact]
    public void A_draft_is_announced_only_before_its_booking_deadline()
    {
        var operation = new AnnouncedOperation();
        operation.State.Status = OperationStatus.Draft;
        var announce = new StatusChange(OperationStatus.Announced);

        Lifecycle(operation).Check(s_organiser, announce, AnnouncedOperation.Deadline.AddTicks(-1));
        var refused = Assert.Throws<DomainRuleException>(() => Lifecycle(operation).Check(s_organiser, announce, AnnouncedOperation.Deadline));

        Assert.Equal([RuleCode.BookingClosed], refused.Violations.Select(v => v.Rule));
    }

    [Fact]
    public void The_deadline_closes_booking_only_of_an_announced_operation_at_its_deadline()
    {
        var operation = new AnnouncedOperation();

        Assert.False(Lifecycle(operation).DeadlinePassed(AnnouncedOperation.Deadline.AddTicks(-1)));
        Assert.True(Lifecycle(operation).DeadlinePassed(AnnouncedOperation.Deadline));
        operation.State.Status = OperationStatus.Cancelled;
        Assert.False(Lifecycle(operation).DeadlinePassed(AnnouncedOperation.Deadline));
    }

    [Fact]
    public void Confirming_without_every_clearance_keeps_the_override_reason_and_with_them_none()
    {
        var overridden = new AnnouncedOperation();
        overridden.State.Status = OperationStatus.BookingClosed;
        Lifecycle(overridden).Move(OperationStatus.Confirmed, "court deadline", AnnouncedOperation.Now);
        Assert.Equal("court deadline", overridden.State.OverrideReason);

        var cleared = new AnnouncedOperation();
        cleared.State.Status = OperationStatus.BookingClosed;
        cleared.State.Clearances["NG"] = new ClearanceRecord { Cleared = true, ManifestVersion = cleared.State.ManifestVersion };
        Lifecycle(cleared).Move(OperationStatus.Confirmed, "not needed", AnnouncedOperation.Now);
        Assert.Null(cleared.State.OverrideReason);
    }

    [Fact]
    public void Cancelling_starts_retention_keeps_the_reason_and_tells_destinations_participants_organiser_and_secretariat()
    {
        var operation = new AnnouncedOperation(destinations: ["NG", "GH"]);
        operation.Book("DE", "de", [], medical: 1);
        operation.Book("HU", "hu", [], medical: 1);
        operation.Cancel("hu");

        var notices = Lifecycle(operation).Move(OperationStatus.Cancelled, "aircraft withdrawn", AnnouncedOperation.Now);

        Assert.Equal((OperationStatus.Cancelled, AnnouncedOperation.Now, "aircraft withdrawn"), (operation.State.Status, operation.State.EndedAt, operation.State.CancelReason));
        Assert.Equal([Destination.Country("NG"), Destination.Country("GH"), Destination.Country("DE"), Destination.Country("AT"), Destination.Role(Caller.Secretariat)],
            notices.Select(n => n.Destination));
        Assert.All(notices, n => Assert.Equal(("operation.cancelled", "aircraft withdrawn"), (n.Body.Subject, n.Body.Reason)));
    }

    [Fact]
    public void Departure_lets_go_those_who_did_not_board_and_cancellation_everyone_booked()
    {
        var operation = new AnnouncedOperation(capacity: 5);
        operation.Book("AT", "boards", [Judged.Forced("AT", "a-1"), Judged.Voluntary("AT", "a-2")], escorts: 2, medical: 1);
        operation.Book("DE", "waits", [Judged.Voluntary("DE", "d-1")], medical: 1);
        operation.Suspend("a-2");
        operation.Book("HU", "gone", [Judged.Voluntary("HU", "h-1")]);
        operation.Cancel("gone");

        Assert.Equal([("boards", "a-2"), ("waits", "d-1")], Lifecycle(operation).LetGo(OperationStatus.Departed));
        Assert.Equal([("boards", "a-1"), ("boards", "a-2"), ("waits", "d-1")], Lifecycle(operation).LetGo(OperationStatus.Cancelled));
        Assert.Empty(Lifecycle(operation).LetGo(OperationStatus.Completed));
    }

    private static OperationLifecycle Lifecycle(AnnouncedOperation operation) => new(AnnouncedOperation.Id, operation.State);

    [Fact]
    public void Reminders_the_deadline_is_due_at_the_deadline_while_announced_and_forgotten_after_retention_starts_when_the_operation_ends()
    {
        var operation = new AnnouncedOperation();
        var lifecycle = new OperationLifecycle(AnnouncedOperation.Id, operation.State);
        var now = AnnouncedOperation.Now;

        Assert.Equal([(OperationLifecycle.DeadlineReminder, AnnouncedOperation.Deadline - now)], lifecycle.Reminders(OperationStatus.Announced, now, 90));
        Assert.Equal([(OperationLifecycle.DeadlineReminder, (TimeSpan?)null)], lifecycle.Reminders(OperationStatus.BookingClosed, now, 90));
        Assert.Empty(lifecycle.Reminders(OperationStatus.Confirmed, now, 90));
        Assert.Empty(lifecycle.Reminders(OperationStatus.Departed, now, 90));
        foreach (var end in new[] { OperationStatus.Completed, OperationStatus.Cancelled })
        {
            Assert.Equal([(OperationLifecycle.DeadlineReminder, null), (OperationLifecycle.RetentionReminder, TimeSpan.FromDays(90))],
                lifecycle.Reminders(end, now, 90));
        }
    }
}
