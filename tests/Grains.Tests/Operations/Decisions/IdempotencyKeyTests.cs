using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// A booking's id follows from its Idempotency-Key: the same request again is the booking decided before, with its first
/// answer; the same key with another body is <c>idempotency-key-reuse</c>.
/// </summary>
public sealed class IdempotencyKeyTests
{
    private static readonly BookingRequest s_request = new("b1", ["at-1", "at-2"], Escorts: 4, Medical: 1, Monitors: 1, Interpreters: 1, Observers: 1);

    private static AnnouncedOperation Booked()
    {
        var operation = new AnnouncedOperation();
        operation.Bookings.Book("AT", s_request, [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")], new Dictionary<string, IReadOnlyList<string>>(),
            AnnouncedOperation.Now, null);
        return operation;
    }

    [Fact]
    public void Existing_is_null_for_a_new_key_and_the_decided_booking_for_the_same_request()
    {
        var operation = Booked();

        Assert.Null(operation.Bookings.Existing("AT", s_request with { BookingId = "b2" }));
        Assert.Same(operation.Booking("b1"), operation.Bookings.Existing("AT", s_request));
    }

    public static TheoryData<string, BookingRequest> OtherBodies => new()
    {
        { "DE", s_request },
        { "AT", s_request with { Escorts = 5 } },
        { "AT", s_request with { Medical = 0 } },
        { "AT", s_request with { Monitors = 2 } },
        { "AT", s_request with { Interpreters = 0 } },
        { "AT", s_request with { Observers = 2 } },
        { "AT", s_request with { Returnees = ["at-1"] } },
        { "AT", s_request with { Returnees = ["at-2", "at-1"] } },
        { "AT", s_request with { Returnees = ["at-1", "at-2", "at-3"] } },
    };

    [Theory]
    [MemberData(nameof(OtherBodies))]
    public void Existing_the_same_key_with_another_body_is_key_reuse(string country, BookingRequest other)
    {
        var operation = Booked();

        var refused = operation.Refuses(() => operation.Bookings.Existing(country, other));

        Assert.Equal(RuleCode.IdempotencyKeyReuse, refused.Rule);
    }

    [Fact]
    public void Existing_after_retention_erased_the_returnee_ids_still_recognises_the_retry()
    {
        var operation = Booked();
        operation.Booking("b1").Returnees = [];
        operation.State.PersonalDataErased = true;

        Assert.Same(operation.Booking("b1"), operation.Bookings.Existing("AT", s_request));
    }

    [Fact]
    public void Existing_after_a_no_show_left_the_booking_still_recognises_the_retry_and_no_other_body()
    {
        var operation = Booked();
        operation.State.Status = OperationStatus.Departed;
        // As the grain records a no-show: the returnee leaves the booking's list, the record keeps the booking.
        operation.Booking("b1").Returnees.RemoveAll(r => r.Id == "at-1");
        operation.State.NoShows.Add(new NoShowRecord { ReturneeId = "at-1", BookingId = "b1", Country = "AT", Reason = NoShowReason.Absconded });

        Assert.Same(operation.Booking("b1"), operation.Bookings.Existing("AT", s_request));
        Assert.Equal(RuleCode.IdempotencyKeyReuse, operation.Refuses(() => operation.Bookings.Existing("AT", s_request with { Returnees = ["at-2"] })).Rule);
        Assert.Equal(RuleCode.IdempotencyKeyReuse,
            operation.Refuses(() => operation.Bookings.Existing("AT", s_request with { Returnees = ["at-9", "at-2"] })).Rule);
    }

    [Fact]
    public void FirstAnswer_a_retry_is_answered_as_the_booking_was_decided_whatever_happened_since()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("DE", "big", [Judged.Forced("DE", "de-1")], escorts: 2, medical: 1);
        var first = operation.Book("AT", "b1", [Judged.Forced("AT", "at-1"), Judged.Voluntary("AT", "at-2")], escorts: 2).Booking;
        Assert.Equal(BookingStatus.Waitlisted, first.Status);

        operation.Cancel("big");
        operation.Suspend("at-1");

        var again = OperationBookings.FirstAnswer(operation.Booking("b1"));
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("b1"));
        Assert.Equal(first with { Returnees = again.Returnees, SuspendedReturnees = again.SuspendedReturnees, Staff = again.Staff }, again);
        Assert.Equal(first.Returnees, again.Returnees);
        Assert.Empty(again.SuspendedReturnees);
    }

    [Fact]
    public void Book_refuses_to_decide_a_key_twice_so_callers_must_ask_Existing_first()
    {
        var operation = Booked();
        var before = operation.Fingerprint();

        Assert.Throws<InvalidOperationException>(() => operation.Bookings.Book("AT", s_request,
            [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")], new Dictionary<string, IReadOnlyList<string>>(), AnnouncedOperation.Now, null));

        Assert.Equal(before, operation.Fingerprint());
        Assert.Single(operation.State.Bookings);
    }
}
