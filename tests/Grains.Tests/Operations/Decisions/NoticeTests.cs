using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// What each decision sends: a booking's news goes to its country, to the organiser if that is another country, and to the
/// secretariat's feed; bodies carry ids of bookings, counts and statuses, never a returnee (rule 16).
/// </summary>
public sealed class NoticeTests
{
    private static readonly string[] s_toGermanyTheOrganiserAndTheSecretariat =
        [Destination.Country("DE"), Destination.Country("AT"), Destination.Role(Caller.Secretariat)];

    private static readonly string[] s_returnees = ["de-1", "de-2", "hu-1", "be-1"];

    [Fact]
    public void Book_a_confirmed_booking_is_announced_to_its_country_the_organiser_and_the_secretariat()
    {
        var operation = new AnnouncedOperation();

        var decision = operation.Book("DE", "b1", [Judged.Forced("DE", "de-1")], escorts: 2, medical: 1);

        Assert.Equal(s_toGermanyTheOrganiserAndTheSecretariat, decision.Notices.Select(n => n.Destination));
        Assert.All(decision.Notices, n => Assert.Equal(new Notification("booking.confirmed", BookingId: "b1", Country: "DE", Status: "Confirmed", Seats: 4), n.Body));
    }

    [Fact]
    public void Book_a_waitlisted_booking_is_announced_as_waitlisted()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("AT", "b0", [], medical: 1);

        var decision = operation.Book("DE", "b1", [Judged.Forced("DE", "de-1"), Judged.Forced("DE", "de-2")], escorts: 4);

        Assert.Equal(s_toGermanyTheOrganiserAndTheSecretariat, decision.Notices.Select(n => n.Destination));
        Assert.All(decision.Notices, n => Assert.Equal(("booking.waitlisted", "Waitlisted", 6), (n.Body.Subject, n.Body.Status, n.Body.Seats)));
    }

    [Fact]
    public void Book_the_organisers_own_booking_tells_the_organiser_once()
    {
        var operation = new AnnouncedOperation();

        var decision = operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2);

        Assert.Equal([Destination.Country("AT"), Destination.Role(Caller.Secretariat)], decision.Notices.Select(n => n.Destination));
    }

    [Fact]
    public void Cancel_announces_the_cancellation_then_each_promotion_to_the_promoted_bookings_own_country()
    {
        var operation = new AnnouncedOperation(capacity: 3);
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1")], escorts: 2);
        operation.Book("HU", "hu", [Judged.Forced("HU", "hu-1")], escorts: 2);

        var decision = operation.Cancel("de");

        Assert.Equal(
            [("booking.cancelled", "country:DE"), ("booking.cancelled", "country:AT"), ("booking.cancelled", "role:secretariat"),
             ("booking.promoted", "country:HU"), ("booking.promoted", "country:AT"), ("booking.promoted", "role:secretariat")],
            decision.Notices.Select(n => (n.Body.Subject, n.Destination)));
        Assert.Equal(("hu", "Confirmed", 3), (decision.Notices[3].Body.BookingId, decision.Notices[3].Body.Status, decision.Notices[3].Body.Seats));
    }

    [Fact]
    public void Reinstate_is_announced_like_a_booking()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1")], escorts: 2);
        operation.Suspend("de-1");

        var decision = operation.Reinstate("de");

        Assert.Equal(s_toGermanyTheOrganiserAndTheSecretariat, decision.Notices.Select(n => n.Destination));
        Assert.All(decision.Notices, n => Assert.Equal(("booking.reinstated", "Confirmed"), (n.Body.Subject, n.Body.Status)));
    }

    [Fact]
    public void No_notice_of_any_decision_carries_a_returnee_id()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        var notices = new List<Notice>();
        notices.AddRange(operation.Book("DE", "de", [Judged.Forced("DE", "de-1", family: "f"), Judged.Voluntary("DE", "de-2", family: "f")], escorts: 2).Notices);
        notices.AddRange(operation.Book("HU", "hu", [Judged.Forced("HU", "hu-1")], escorts: 2).Notices);
        notices.AddRange(operation.Book("BE", "be", [Judged.Forced("BE", "be-1")], escorts: 2).Notices);
        notices.AddRange(operation.Suspend("de-1")!.Notices);
        notices.AddRange(operation.Reinstate("de").Notices);
        notices.AddRange(operation.Cancel("hu").Notices);

        Assert.Equal(
            ["booking.confirmed", "booking.waitlisted", "booking.suspended", "booking.promoted", "booking.reinstated", "booking.cancelled"],
            notices.Select(n => n.Body.Subject).Distinct());
        Assert.All(notices, n =>
        {
            Assert.Null(n.Body.ReturneeId);
            Assert.Null(n.Body.Reason);
            Assert.All(s_returnees, id => Assert.DoesNotContain(id, n.Body.ToString(), StringComparison.Ordinal));
        });
    }
}
