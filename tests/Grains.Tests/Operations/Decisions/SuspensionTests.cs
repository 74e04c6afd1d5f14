using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Rule 2's early warning decided with no cluster: a returnee that became ineligible loses its seat (and its family in the
/// booking with it, rule 4), the rest of the booking keeps theirs, the freed seats go to the waitlist at once; reinstatement
/// brings the returnees back only into seats that are free now, and a booking suspended whole arrives again at the back.
/// </summary>
public sealed class SuspensionTests
{
    [Fact]
    public void Suspend_takes_only_that_returnees_seat_and_gives_it_to_the_waitlist_at_once()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1"), Judged.Voluntary("AT", "at-2")], escorts: 2, medical: 1);
        operation.Book("DE", "de", [], medical: 2);
        var version = operation.State.ManifestVersion;
        Assert.Equal(BookingStatus.Waitlisted, operation.StatusOf("de"));

        var decision = operation.Suspend("at-2", RuleCode.SuspensiveAppeal)!;

        Assert.Equal((BookingStatus.Confirmed, 4, 1, 1), (decision.Booking.Status, decision.Booking.Seats, decision.Booking.ReturneeCount, decision.Booking.ForcedReturnees));
        Assert.Equal(["at-2"], decision.Booking.SuspendedReturnees);
        Assert.Equal(["at-1", "at-2"], decision.Booking.Returnees);
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("de"));
        Assert.Equal(6, operation.ConfirmedSeats);
        Assert.Equal((version + 1, 1), (operation.State.ManifestVersion, operation.State.Suspensions));
    }

    [Fact]
    public void Suspend_tells_the_organiser_the_owning_state_and_the_carriers_how_many_seats_came_free_and_why()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1"), Judged.Forced("DE", "de-2")], escorts: 4);
        operation.Book("HU", "hu", [], medical: 1);

        var decision = operation.Suspend("de-1", RuleCode.SuspensiveAppeal, RuleCode.NonRefoulement)!;

        var warnings = decision.Notices.Where(n => n.Body.Subject == "booking.suspended").ToList();
        Assert.Equal([Destination.Country("AT"), Destination.Country("DE"), Destination.Carriers(AnnouncedOperation.Id)], warnings.Select(n => n.Destination));
        var body = warnings[0].Body;
        Assert.All(warnings, w => Assert.Same(body, w.Body));
        Assert.Equal(("de", "DE", "Confirmed", 1), (body.BookingId, body.Country, body.Status, body.Seats));
        Assert.Equal([RuleCode.SuspensiveAppeal, RuleCode.NonRefoulement], body.Rules);
        Assert.Null(body.ReturneeId);
        Assert.DoesNotContain("de-1", body.ToString(), StringComparison.Ordinal);
        // The freed seat went to the waitlist in the same decision.
        Assert.Contains(decision.Notices, n => n.Body is { Subject: "booking.promoted", BookingId: "hu" });
    }

    [Fact]
    public void Suspend_of_the_organisers_own_returnee_warns_the_organiser_once()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")], escorts: 4);

        var decision = operation.Suspend("at-1")!;

        Assert.Equal([Destination.Country("AT"), Destination.Carriers(AnnouncedOperation.Id)], decision.Notices.Select(n => n.Destination));
    }

    [Fact]
    public void FamilyUnity_a_suspended_returnee_takes_its_family_in_the_booking_off_the_flight_with_it()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "at",
            [Judged.Forced("AT", "father", family: "f1"), Judged.Voluntary("AT", "child", family: "f1"), Judged.Forced("AT", "other"), Judged.Forced("AT", "other-family", family: "f2")],
            escorts: 6);

        var decision = operation.Suspend("father")!;

        Assert.Equal(["father", "child"], decision.Booking.SuspendedReturnees);
        Assert.Equal((BookingStatus.Confirmed, 2, 2, 8), (decision.Booking.Status, decision.Booking.ReturneeCount, decision.Booking.ForcedReturnees, decision.Booking.Seats));
        Assert.Equal(2, decision.Notices[0].Body.Seats);
    }

    [Fact]
    public void Suspend_a_booking_left_with_nobody_is_suspended_whole_and_frees_its_staff_seats_too()
    {
        var operation = new AnnouncedOperation(capacity: 5);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1")], escorts: 2, medical: 1, observers: 1);
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1")], escorts: 2);

        var decision = operation.Suspend("at-1")!;

        Assert.Equal(BookingStatus.Suspended, decision.Booking.Status);
        Assert.Equal(5, decision.Notices[0].Body.Seats);
        Assert.Equal("Suspended", decision.Notices[0].Body.Status);
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("de"));
        Assert.Equal(3, operation.ConfirmedSeats);
    }

    [Fact]
    public void Suspend_of_a_waiting_booking_shrinks_it_and_it_is_confirmed_once_it_fits()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1")], escorts: 2);
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1"), Judged.Voluntary("DE", "de-2")], escorts: 2);
        var version = operation.State.ManifestVersion;
        Assert.Equal(BookingStatus.Waitlisted, operation.StatusOf("de"));

        var decision = operation.Suspend("de-2")!;

        Assert.Equal((BookingStatus.Confirmed, 3), (operation.StatusOf("de"), operation.Booking("de").Seats));
        Assert.Equal(version + 1, operation.State.ManifestVersion);
        Assert.Contains(decision.Notices, n => n.Body is { Subject: "booking.promoted", BookingId: "de" });
    }

    [Fact]
    public void Suspend_again_or_of_a_returnee_holding_no_seat_here_changes_nothing()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")], escorts: 4);
        operation.Book("AT", "gone", [Judged.Forced("AT", "at-3")], escorts: 2);
        operation.Cancel("gone");
        operation.Suspend("at-1");
        var before = operation.Fingerprint();

        Assert.Null(operation.Suspend("at-1"));
        Assert.Null(operation.Suspend("at-3"));
        Assert.Null(operation.Suspend("unknown"));
        Assert.Equal(before, operation.Fingerprint());
    }

    [Theory]
    [InlineData(OperationStatus.Departed)]
    [InlineData(OperationStatus.Completed)]
    [InlineData(OperationStatus.Cancelled)]
    public void Suspend_after_the_operation_left_or_ended_changes_nothing(OperationStatus status)
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1")], escorts: 2);
        operation.State.Status = status;
        var before = operation.Fingerprint();

        Assert.Null(operation.Suspend("at-1"));
        Assert.Equal(before, operation.Fingerprint());
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    public void Reinstate_brings_suspended_returnees_back_only_into_seats_free_now(int freeSeats, bool accepted)
    {
        var operation = new AnnouncedOperation(capacity: 10);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1"), Judged.Voluntary("AT", "at-2")], escorts: 2);
        operation.Suspend("at-2");
        // Someone else takes the freed seat and every other seat but freeSeats.
        operation.Book("DE", "de", [], medical: 10 - 3 - freeSeats);
        var version = operation.State.ManifestVersion;

        if (accepted)
        {
            var decision = operation.Reinstate("at");
            Assert.Equal((BookingStatus.Confirmed, 4, 0), (decision.Booking.Status, decision.Booking.Seats, decision.Booking.SuspendedReturneeCount));
            Assert.Equal(version + 1, operation.State.ManifestVersion);
            Assert.Equal(10, operation.ConfirmedSeats);
            Assert.Equal("booking.reinstated", decision.Notices[0].Body.Subject);
        }
        else
        {
            var refused = operation.Refuses(() => operation.Reinstate("at"));
            Assert.Equal([RuleCode.Capacity], refused.Violations.Select(v => v.Rule));
            Assert.Equal(["at-2"], OperationBookings.View(operation.Booking("at"), withReturnees: true).SuspendedReturnees);
        }
    }

    [Fact]
    public void Reinstate_a_booking_suspended_whole_arrives_again_behind_the_waitlist()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1")], escorts: 2);
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1")], escorts: 2);
        operation.Book("HU", "hu", [Judged.Forced("HU", "hu-1")], escorts: 2);
        operation.Suspend("at-1");
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("hu"));
        operation.Book("BE", "be", [Judged.Forced("BE", "be-1")], escorts: 2);

        var back = operation.Reinstate("at").Booking;

        Assert.Equal((BookingStatus.Waitlisted, 5L), (back.Status, back.Sequence));
        operation.Cancel("de");
        // The booking that waited first takes the freed seats; the reinstated one waits behind it.
        Assert.Equal((BookingStatus.Confirmed, BookingStatus.Waitlisted), (operation.StatusOf("be"), operation.StatusOf("at")));
        operation.Cancel("hu");
        Assert.Equal(BookingStatus.Confirmed, operation.StatusOf("at"));
    }

    [Fact]
    public void Reinstate_a_booking_suspended_whole_is_confirmed_at_once_if_it_fits_now()
    {
        var operation = new AnnouncedOperation(capacity: 6);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1")], escorts: 2);
        operation.Suspend("at-1");
        var version = operation.State.ManifestVersion;

        var back = operation.Reinstate("at").Booking;

        Assert.Equal((BookingStatus.Confirmed, 2L, 3), (back.Status, back.Sequence, back.Seats));
        Assert.Equal(version + 1, operation.State.ManifestVersion);
    }

    [Fact]
    public void Reinstate_judges_the_returnees_again_eligibility_escorts_destination_and_voluntary_charters()
    {
        var operation = new AnnouncedOperation(destinations: ["NG"]);
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1"), Judged.Voluntary("AT", "at-2")], escorts: 2);
        operation.Suspend("at-2");
        var charter = new AnnouncedOperation(type: OperationType.VoluntaryCharter);
        charter.Book("AT", "at", [Judged.Voluntary("AT", "v-1"), Judged.Voluntary("AT", "v-2")]);
        charter.Suspend("v-1");

        var stillAppealing = operation.Refuses(() => operation.Reinstate("at",
            [Judged.Ineligible("AT", "at-2", new RuleViolation(RuleCode.SuspensiveAppeal, "appeal pending")) with { Forced = false }]));
        Assert.Equal(RuleCode.SuspensiveAppeal, stillAppealing.Rule);
        Assert.StartsWith("at-2: ", stillAppealing.Violations[0].Detail, StringComparison.Ordinal);
        // The case turned forced while suspended: the booking's two escorts are enough for one forced returnee only.
        Assert.Equal([RuleCode.EscortRatio], operation.RulesBrokenBy(() => operation.Reinstate("at", [Judged.Forced("AT", "at-2")])));
        Assert.Equal([RuleCode.DestinationOfReturn],
            operation.RulesBrokenBy(() => operation.Reinstate("at", [Judged.Voluntary("AT", "at-2", countriesOfReturn: ["PK"])])));
        Assert.Equal([RuleCode.VoluntaryOnly], charter.RulesBrokenBy(() => charter.Reinstate("at", [Judged.Forced("AT", "v-1")])));
        Assert.Equal(BookingStatus.Confirmed, operation.Reinstate("at", [Judged.Voluntary("AT", "at-2")]).Booking.Status);
    }

    [Fact]
    public void Reinstate_takes_the_case_as_it_is_now_forced_or_not()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "at", [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")], escorts: 4);
        operation.Suspend("at-2");

        var back = operation.Reinstate("at", [Judged.Voluntary("AT", "at-2")]).Booking;

        Assert.Equal(1, back.ForcedReturnees);
    }

    [Fact]
    public void Reinstate_only_a_live_booking_with_suspended_returnees_while_the_operation_is_being_booked()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "none-suspended", [Judged.Forced("AT", "at-1")], escorts: 2);
        operation.Book("AT", "cancelled", [Judged.Forced("AT", "at-2"), Judged.Forced("AT", "at-3")], escorts: 4);
        operation.Suspend("at-2");
        operation.Cancel("cancelled");
        operation.Book("AT", "closed", [Judged.Forced("AT", "at-4"), Judged.Forced("AT", "at-5")], escorts: 4);
        operation.Suspend("at-4");

        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Reinstate("none-suspended", [])));
        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Reinstate("cancelled")));
        operation.State.Status = OperationStatus.BookingClosed;
        Assert.Equal(BookingStatus.Confirmed, operation.Reinstate("closed").Booking.Status);
        operation.Suspend("at-4");
        operation.State.Status = OperationStatus.Confirmed;
        Assert.Equal([RuleCode.InvalidTransition], operation.RulesBrokenBy(() => operation.Reinstate("closed")));
    }
}
