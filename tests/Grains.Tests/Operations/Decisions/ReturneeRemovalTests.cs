using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// One returnee taken off a booking (issue 24, <see cref="OperationBookings.Remove"/>): the rest of the booking stands, the seat
/// goes to the waitlist, the person's hold goes with the same decision, and a retry of the booking's request is still itself.
/// </summary>
public sealed class ReturneeRemovalTests
{
    [Fact]
    public void Removing_one_returnee_keeps_the_booking_and_gives_its_seat_to_the_waitlist()
    {
        var operation = new AnnouncedOperation(capacity: 4);
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1"), Judged.Voluntary("DE", "de-2")], medical: 1);
        operation.Book("FR", "fr", [Judged.Voluntary("FR", "fr-1")], medical: 1);
        Assert.Equal(BookingStatus.Waitlisted, operation.StatusOf("fr"));
        var manifest = operation.State.ManifestVersion;

        var decision = operation.Remove("de", "de-2");

        Assert.Equal(["de-1"], decision.Booking.Returnees);
        Assert.Equal((BookingStatus.Confirmed, 1, 2), (operation.StatusOf("de"), operation.Booking("de").ReturneeCount, operation.Booking("de").Seats));
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("fr"));
        Assert.True(operation.State.ManifestVersion > manifest);
        Assert.False(operation.Bookings.Holds().ContainsKey("de-2"));
        Assert.Equal("de", operation.Bookings.Holds()["de-1"]);
        Assert.Contains(decision.Notices, n => n.Body.Subject == "booking.returnee-removed" && n.Body.Seats == 2);
        Assert.Contains(decision.Notices, n => n.Body.Subject == "booking.promoted" && n.Body.BookingId == "fr");
    }

    [Fact]
    public void The_last_returnee_is_not_removed_the_booking_is_cancelled_instead()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1")], medical: 1);

        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Remove("de", "de-1")));
    }

    [Fact]
    public void Rule_4_a_removed_returnees_family_in_the_booking_leaves_with_it()
    {
        var operation = new AnnouncedOperation(capacity: 8);
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1"), Judged.Voluntary("DE", "de-2", family: "fam-a"),
            Judged.Voluntary("DE", "de-3", family: "fam-a")], medical: 1);

        var removal = operation.Bookings.Remove(operation.Booking("de"), "de-2", null);

        Assert.Equal(["de-2", "de-3"], removal.Returnees);
        Assert.Equal(["de-1"], removal.Decision.Booking.Returnees);
        Assert.False(operation.Bookings.Holds().ContainsKey("de-3"));
        Assert.Equal(1, operation.Booking("de").ReturneeCount);
    }

    [Fact]
    public void Rule_4_a_family_that_is_the_whole_booking_is_not_removed_the_booking_is_cancelled_instead()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1", family: "fam-a"), Judged.Voluntary("DE", "de-2", family: "fam-a")], medical: 1);
        var before = operation.Fingerprint();

        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Remove("de", "de-2")));
        Assert.Equal(before, operation.Fingerprint());
    }

    [Theory]
    [InlineData(OperationStatus.Departed)]
    [InlineData(OperationStatus.Completed)]
    [InlineData(OperationStatus.Cancelled)]
    public void Nobody_is_removed_once_the_operation_left_or_ended(OperationStatus status)
    {
        var operation = TwoOnBoard();
        operation.State.Status = status;

        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Remove("de", "de-2")));
    }

    [Fact]
    public void A_returnee_not_on_the_booking_or_a_stale_revision_changes_nothing()
    {
        var operation = TwoOnBoard();
        var before = operation.Fingerprint();

        Assert.Throws<ResourceNotFoundException>(() => operation.Remove("de", "fr-1"));
        Assert.Throws<PreconditionFailedException>(() => operation.Remove("de", "de-2", ifMatch: operation.State.Revision - 1));
        Assert.Equal(before, operation.Fingerprint());
    }

    [Fact]
    public void A_retry_of_the_booking_request_still_names_the_removed_returnee_and_is_answered_as_before()
    {
        var operation = TwoOnBoard();
        operation.Remove("de", "de-2");

        var request = new BookingRequest("de", ["de-1", "de-2"], 0, 1, 0, 0, 0);

        Assert.Same(operation.Booking("de"), operation.Bookings.Existing("DE", request));
    }

    [Fact]
    public void Removing_the_rejected_person_ends_the_rejection_that_held_the_departure()
    {
        var operation = TwoOnBoard();
        operation.State.Status = OperationStatus.BookingClosed;
        operation.State.ManifestShared = true;
        var clearance = new DestinationClearance(AnnouncedOperation.Id, operation.State);
        clearance.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(false, ["de-2"], "not a national"));
        operation.State.Status = OperationStatus.Confirmed;
        Assert.Equal(["NG"], clearance.Outstanding());

        operation.Remove("de", "de-2");

        Assert.Empty(clearance.Outstanding());
        clearance.CheckDeparture(new StatusChange(OperationStatus.Departed));
    }

    private static AnnouncedOperation TwoOnBoard()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1"), Judged.Voluntary("DE", "de-2")], medical: 1);
        return operation;
    }
}
