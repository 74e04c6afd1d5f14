using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Rule 11's waitlist: a booking is confirmed if it fits the free seats now (first fit, even past a larger waiting booking);
/// freed seats go to waitlisted bookings in arrival order, each taken if it fits; the manifest version moves with the
/// confirmed set.
/// </summary>
public sealed class WaitlistTests
{
    /// <summary>A booking of <paramref name="seats"/> seats: one forced returnee and the rest escorts (at least the two it needs).</summary>
    private static BookingDecision Book(AnnouncedOperation operation, string country, string id, int seats) =>
        operation.Book(country, id, [Judged.Forced(country, id + "-r")], escorts: seats - 1);

    [Fact]
    public void FirstFit_a_new_booking_that_fits_is_confirmed_even_while_a_larger_earlier_one_waits()
    {
        var operation = new AnnouncedOperation(capacity: 10);
        Book(operation, "AT", "a", 6);
        Book(operation, "DE", "large", 6);

        var small = Book(operation, "HU", "small", 4).Booking;

        Assert.Equal(BookingStatus.Waitlisted, operation.StatusOf("large"));
        Assert.Equal((BookingStatus.Confirmed, 3L), (small.Status, small.Sequence));
    }

    [Fact]
    public void Cancel_freed_seats_go_to_the_waitlist_in_arrival_order_first_fit()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        Book(operation, "AT", "big", 6);
        Book(operation, "DE", "w1", 6);
        Book(operation, "HU", "w2", 3);
        Book(operation, "BE", "w3", 3);

        var decision = operation.Cancel("big");

        Assert.Equal(BookingStatus.Cancelled, decision.Booking.Status);
        Assert.Equal([BookingStatus.Cancelled, BookingStatus.Confirmed, BookingStatus.Waitlisted, BookingStatus.Waitlisted],
            operation.State.Bookings.Select(b => b.Status));
    }

    [Fact]
    public void Cancel_first_fit_skips_a_waiting_booking_too_big_for_the_free_seats_and_takes_the_next_that_fits()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        Book(operation, "AT", "a", 3);
        Book(operation, "DE", "b", 3);
        Book(operation, "HU", "w1", 6);
        Book(operation, "BE", "w2", 3);
        Book(operation, "PL", "w3", 3);

        operation.Cancel("a");

        Assert.Equal((BookingStatus.Waitlisted, BookingStatus.Confirmed, BookingStatus.Waitlisted),
            (operation.StatusOf("w1"), operation.StatusOf("w2"), operation.StatusOf("w3")));
        Assert.Equal(6, operation.ConfirmedSeats);
    }

    [Fact]
    public void Cancel_promotes_several_waiting_bookings_while_they_fit_and_exactly_to_the_last_seat()
    {
        var operation = new AnnouncedOperation(capacity: 9);
        Book(operation, "AT", "big", 9);
        Book(operation, "DE", "w1", 4);
        Book(operation, "HU", "w2", 6);
        Book(operation, "BE", "w3", 5);

        var decision = operation.Cancel("big");

        Assert.Equal((BookingStatus.Confirmed, BookingStatus.Waitlisted, BookingStatus.Confirmed),
            (operation.StatusOf("w1"), operation.StatusOf("w2"), operation.StatusOf("w3")));
        Assert.Equal(9, operation.ConfirmedSeats);
        Assert.Equal(["w1", "w3"], decision.Notices.Where(n => n.Body.Subject == "booking.promoted").Select(n => n.Body.BookingId).Distinct());
    }

    [Fact]
    public void ManifestVersion_moves_when_the_confirmed_set_changes_and_only_then()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        Book(operation, "AT", "a", 3);
        Assert.Equal(1, operation.State.ManifestVersion);
        Book(operation, "DE", "w1", 6);
        Assert.Equal(1, operation.State.ManifestVersion);
        Book(operation, "HU", "w2", 6);

        // A waiting booking leaves: nobody on the manifest changed.
        operation.Cancel("w2");
        Assert.Equal(1, operation.State.ManifestVersion);
        // A confirmed booking leaves and a waiting one takes its place: one decision, one new version.
        operation.Cancel("a");
        Assert.Equal(2, operation.State.ManifestVersion);
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("w1"));
        // A confirmed booking leaves and nobody waits.
        operation.Cancel("w1");
        Assert.Equal(3, operation.State.ManifestVersion);
    }

    [Fact]
    public void Cancel_after_booking_closed_still_promotes_the_waitlist()
    {
        var operation = new AnnouncedOperation(capacity: 3);
        Book(operation, "AT", "a", 3);
        Book(operation, "DE", "w", 3);
        operation.State.Status = OperationStatus.BookingClosed;

        operation.Cancel("a");

        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("w"));
    }

    [Fact]
    public void Cancel_once_the_operation_is_confirmed_frees_the_seats_but_the_manifest_is_final()
    {
        var operation = new AnnouncedOperation(capacity: 3);
        Book(operation, "AT", "a", 3);
        Book(operation, "DE", "w", 3);
        operation.State.Status = OperationStatus.Confirmed;
        var version = operation.State.ManifestVersion;

        var decision = operation.Cancel("a");

        Assert.Equal(BookingStatus.Waitlisted, operation.StatusOf("w"));
        Assert.Equal(version + 1, operation.State.ManifestVersion);
        Assert.DoesNotContain(decision.Notices, n => n.Body.Subject == "booking.promoted");
    }

    [Theory]
    [InlineData(OperationStatus.Departed)]
    [InlineData(OperationStatus.Completed)]
    [InlineData(OperationStatus.Cancelled)]
    public void Cancel_is_refused_once_the_operation_has_left_or_ended(OperationStatus status)
    {
        var operation = new AnnouncedOperation();
        Book(operation, "AT", "a", 3);
        operation.State.Status = status;

        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Cancel("a")));
    }
}
