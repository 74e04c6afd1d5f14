using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>When a decision may be taken: the booking window (Announced, before the deadline) and the If-Match revision.</summary>
public sealed class BookingWindowTests
{
    [Fact]
    public void BookingClosed_one_tick_before_the_deadline_is_open_and_the_deadline_instant_is_closed()
    {
        var operation = new AnnouncedOperation();

        var lastMoment = operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2, at: AnnouncedOperation.Deadline.AddTicks(-1));

        Assert.Equal(BookingStatus.Confirmed, lastMoment.Booking.Status);
        Assert.Equal([RuleCode.BookingClosed],
            operation.RulesBrokenBy(() => operation.Book("AT", "b2", [Judged.Forced("AT", "at-2")], escorts: 2, at: AnnouncedOperation.Deadline)));
        Assert.Equal([RuleCode.BookingClosed],
            operation.RulesBrokenBy(() => operation.Book("AT", "b3", [Judged.Forced("AT", "at-3")], escorts: 2, at: AnnouncedOperation.Deadline.AddDays(1))));
        Assert.True(RuleCode.IsConflict(RuleCode.BookingClosed));
    }

    [Theory]
    [InlineData(OperationStatus.Draft)]
    [InlineData(OperationStatus.BookingClosed)]
    [InlineData(OperationStatus.Confirmed)]
    [InlineData(OperationStatus.Departed)]
    [InlineData(OperationStatus.Completed)]
    [InlineData(OperationStatus.Cancelled)]
    public void BookingClosed_only_an_announced_operation_takes_bookings(OperationStatus status)
    {
        var operation = new AnnouncedOperation();
        operation.State.Status = status;

        Assert.Equal([RuleCode.BookingClosed], operation.RulesBrokenBy(() => operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2)));
        Assert.Throws<DomainRuleException>(() => operation.Bookings.CheckOpen(AnnouncedOperation.Now));
    }

    [Fact]
    public void BookingClosed_is_checked_before_the_booking_rules_so_a_late_broken_booking_is_told_it_is_late()
    {
        var operation = new AnnouncedOperation();

        Assert.Equal([RuleCode.BookingClosed],
            operation.RulesBrokenBy(() => operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 0, at: AnnouncedOperation.Deadline)));
    }

    [Fact]
    public void Revision_moves_by_one_with_every_accepted_decision()
    {
        var operation = new AnnouncedOperation(capacity: 3);
        var revisions = new List<long> { operation.State.Revision };

        operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2);
        revisions.Add(operation.State.Revision);
        operation.Book("DE", "b2", [Judged.Forced("DE", "de-1")], escorts: 2);
        revisions.Add(operation.State.Revision);
        operation.Suspend("at-1");
        revisions.Add(operation.State.Revision);
        operation.Cancel("b2");
        revisions.Add(operation.State.Revision);
        operation.Reinstate("b1");
        revisions.Add(operation.State.Revision);

        Assert.Equal([0, 1, 2, 3, 4, 5], revisions);
    }

    [Fact]
    public void IfMatch_a_stale_revision_is_refused_for_every_decision_and_changes_nothing()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")], escorts: 4);
        operation.Suspend("at-1");
        var stale = operation.State.Revision - 1;
        var before = operation.Fingerprint();

        Assert.Throws<PreconditionFailedException>(() => operation.Book("DE", "b2", [Judged.Forced("DE", "de-1")], escorts: 2, ifMatch: stale));
        Assert.Throws<PreconditionFailedException>(() => operation.Reinstate("b1", ifMatch: stale));
        Assert.Throws<PreconditionFailedException>(() => operation.Cancel("b1", ifMatch: stale));
        Assert.Throws<PreconditionFailedException>(() => operation.Cancel("b1", ifMatch: operation.State.Revision + 1));

        Assert.Equal(before, operation.Fingerprint());
    }

    [Fact]
    public void IfMatch_the_current_revision_or_none_passes()
    {
        var operation = new AnnouncedOperation();

        operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2, ifMatch: 0);
        operation.Book("DE", "b2", [Judged.Forced("DE", "de-1")], escorts: 2);
        operation.Cancel("b2", ifMatch: 2);

        Assert.Equal(3, operation.State.Revision);
    }

    [Fact]
    public void IfMatch_is_checked_before_the_booking_window()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2);

        // A client holding an old ETag after the deadline is told that the operation changed (412), as the gateway's order says.
        Assert.Throws<PreconditionFailedException>(() =>
            operation.Book("AT", "b2", [Judged.Forced("AT", "at-2")], escorts: 2, at: AnnouncedOperation.Deadline, ifMatch: 0));
    }
}
