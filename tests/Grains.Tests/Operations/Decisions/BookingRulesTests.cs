using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// The rules a booking is judged by (4, 8, 11, 21, voluntary charters, eligibility, ownership), decided by
/// <see cref="OperationBookings.Book"/> with no cluster. Each test fails when its rule is removed, and every refusal
/// leaves the operation as it was.
/// </summary>
public sealed class BookingRulesTests
{
    private static readonly RuleViolation s_appeal = new(RuleCode.SuspensiveAppeal, "an appeal with suspensive effect is pending");

    [Fact]
    public void Capacity_seats_count_the_returnees_and_every_staff_role()
    {
        var operation = new AnnouncedOperation(capacity: 8);

        var booking = operation.Book("AT", "b1", [Judged.Forced("AT", "at-1")], escorts: 2, medical: 1, monitors: 1, interpreters: 1, observers: 1).Booking;
        var lastSeat = operation.Book("DE", "b2", [], medical: 1).Booking;
        var oneTooMany = operation.Book("HU", "b3", [], interpreters: 1).Booking;

        Assert.Equal((BookingStatus.Confirmed, 7), (booking.Status, booking.Seats));
        Assert.Equal((BookingStatus.Confirmed, 1), (lastSeat.Status, lastSeat.Seats));
        Assert.Equal(BookingStatus.Waitlisted, oneTooMany.Status);
        Assert.Equal(8, operation.ConfirmedSeats);
    }

    [Theory]
    [InlineData(6, BookingStatus.Confirmed)]
    [InlineData(5, BookingStatus.Waitlisted)]
    public void Capacity_a_booking_is_confirmed_when_its_seats_fit_exactly_and_waitlisted_whole_with_one_seat_short(int free, BookingStatus expected)
    {
        var operation = new AnnouncedOperation(capacity: 10);
        operation.Book("AT", "first", [], medical: 10 - free);

        // Two forced returnees, four escorts: six seats, all or nothing.
        var booking = operation.Book("DE", "second", [Judged.Forced("DE", "de-1"), Judged.Forced("DE", "de-2")], escorts: 4).Booking;

        Assert.Equal(expected, booking.Status);
        Assert.Equal((6, 2), (booking.Seats, booking.ReturneeCount));
        Assert.Equal(10 - free + (expected == BookingStatus.Confirmed ? 6 : 0), operation.ConfirmedSeats);
    }

    [Fact]
    public void Capacity_a_booking_larger_than_the_aircraft_is_refused_not_waitlisted_and_one_exactly_as_large_is_confirmed()
    {
        var small = new AnnouncedOperation(capacity: 5);
        var exact = new AnnouncedOperation(capacity: 6);
        Reservation[] two = [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")];

        Assert.Equal([RuleCode.Capacity], small.RulesBrokenBy(() => small.Book("AT", "b1", two, escorts: 4)));
        Assert.Empty(small.State.Bookings);
        Assert.Equal(BookingStatus.Confirmed, exact.Book("AT", "b1", two, escorts: 4).Booking.Status);
    }

    [Fact]
    public void EscortRatio_two_escorts_per_forced_returnee_by_default_and_voluntary_returnees_need_none()
    {
        var operation = new AnnouncedOperation();
        Reservation[] twoForcedOneVoluntary = [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2"), Judged.Voluntary("AT", "at-3")];

        Assert.Equal([RuleCode.EscortRatio], operation.RulesBrokenBy(() => operation.Book("AT", "b1", twoForcedOneVoluntary, escorts: 3)));
        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "b2", twoForcedOneVoluntary, escorts: 4).Booking.Status);
        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "b3", [Judged.Voluntary("AT", "at-4")]).Booking.Status);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public void EscortRatio_is_the_operations_own_setting_rounded_up(int escorts, bool accepted)
    {
        // 1.5 per forced returnee: three need 4.5, so five escorts (the default would ask for six).
        var operation = new AnnouncedOperation(escortsPerReturnee: 1.5m);
        Reservation[] three = [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2"), Judged.Forced("AT", "at-3")];

        if (accepted)
        {
            Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "b1", three, escorts: escorts).Booking.Status);
        }
        else
        {
            Assert.Equal([RuleCode.EscortRatio], operation.RulesBrokenBy(() => operation.Book("AT", "b1", three, escorts: escorts)));
        }
    }

    [Fact]
    public void EscortRatio_collecting_operations_bring_the_destinations_escorts()
    {
        var operation = new AnnouncedOperation(type: OperationType.Collecting);

        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "b1", [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")]).Booking.Status);
        Assert.Equal(0, EscortRatio.Required(OperationType.Collecting, 2m, 10));
        Assert.Equal(0, EscortRatio.Required(OperationType.VoluntaryCharter, 2m, 10));
        Assert.Equal(20, EscortRatio.Required(OperationType.ScheduledFlight, 2m, 10));
    }

    [Fact]
    public void EscortRatio_a_voluntary_charter_asks_no_escorts_even_of_forced_returnees()
    {
        // The exemption on its own: forced returnees on a charter break the voluntary-only rule, never the escort ratio.
        var charter = new AnnouncedOperation(type: OperationType.VoluntaryCharter);

        Assert.Equal([RuleCode.VoluntaryOnly, RuleCode.VoluntaryOnly],
            charter.RulesBrokenBy(() => charter.Book("AT", "b1", [Judged.Forced("AT", "at-1"), Judged.Forced("AT", "at-2")])));
        Assert.Equal(0, EscortRatio.Required(OperationType.VoluntaryCharter, 2m, 2));
    }

    [Fact]
    public void EscortRatio_when_the_organiser_supplies_escorts_each_other_state_still_sends_two_representatives()
    {
        var operation = new AnnouncedOperation(organiserSuppliesEscorts: true);
        Reservation[] german = [Judged.Forced("DE", "de-1"), Judged.Forced("DE", "de-2")];

        Assert.Equal([RuleCode.EscortRatio], operation.RulesBrokenBy(() => operation.Book("DE", "one", german, escorts: 1)));
        Assert.Equal([RuleCode.EscortRatio], operation.RulesBrokenBy(() => operation.Book("DE", "one-observer", german, observers: 1)));
        // Two representatives, escorts or observers, whatever the number of forced returnees.
        Assert.Equal(BookingStatus.Confirmed, operation.Book("DE", "escort-and-observer", german, escorts: 1, observers: 1).Booking.Status);
        Assert.Equal(BookingStatus.Confirmed, operation.Book("HU", "observers",
            [Judged.Forced("HU", "hu-1"), Judged.Forced("HU", "hu-2"), Judged.Forced("HU", "hu-3")], observers: 2).Booking.Status);
        // Staff alone need no representatives; the organiser brings the escorts for its own forced returnees.
        Assert.Equal(BookingStatus.Confirmed, operation.Book("BE", "staff-only", [], medical: 1).Booking.Status);
        Assert.Equal([RuleCode.EscortRatio], operation.RulesBrokenBy(() => operation.Book("AT", "organiser", [Judged.Forced("AT", "at-1")], escorts: 1)));
        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "organiser-2", [Judged.Forced("AT", "at-1")], escorts: 2).Booking.Status);
    }

    [Fact]
    public void FamilyUnity_every_registered_member_travels_in_the_same_booking()
    {
        var operation = new AnnouncedOperation();
        var mother = Judged.Voluntary("AT", "mother", family: "f1");
        var child = Judged.Voluntary("AT", "child", family: "f1");
        var members = new Dictionary<string, IReadOnlyList<string>> { ["f1"] = ["mother", "child"] };

        var refused = operation.Refuses(() => operation.Book("AT", "b1", [mother], families: members));

        Assert.Equal([RuleCode.FamilyUnity], refused.Violations.Select(v => v.Rule));
        Assert.DoesNotContain("mother", refused.Violations[0].Detail, StringComparison.Ordinal);
        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "b2", [mother, child], families: members).Booking.Status);
        Assert.Empty(BookingRules.Families([mother, child], members));
        Assert.Single(BookingRules.Families([child], members));
    }

    [Fact]
    public void VoluntaryOnly_a_forced_returnee_is_refused_on_a_voluntary_charter_and_named()
    {
        var charter = new AnnouncedOperation(type: OperationType.VoluntaryCharter);
        var joint = new AnnouncedOperation();
        var forced = Judged.Forced("AT", "at-forced");
        var voluntary = Judged.Voluntary("AT", "at-voluntary");

        var refused = charter.Refuses(() => charter.Book("AT", "b1", [voluntary, forced]));

        var violation = Assert.Single(refused.Violations);
        Assert.Equal(RuleCode.VoluntaryOnly, violation.Rule);
        Assert.StartsWith("at-forced:", violation.Detail, StringComparison.Ordinal);
        Assert.Equal(BookingStatus.Confirmed, charter.Book("AT", "b2", [voluntary]).Booking.Status);
        Assert.Equal(BookingStatus.Confirmed, joint.Book("AT", "b1", [forced], escorts: 2).Booking.Status);
    }

    [Fact]
    public void VoluntaryOnly_a_voluntary_charter_carries_no_escorts_and_takes_accompanying_staff_as_observers()
    {
        var charter = new AnnouncedOperation(type: OperationType.VoluntaryCharter);
        var voluntary = Judged.Voluntary("AT", "at-1");

        Assert.Equal([RuleCode.VoluntaryOnly], charter.RulesBrokenBy(() => charter.Book("AT", "b1", [voluntary], escorts: 1)));
        var booked = charter.Book("AT", "b2", [voluntary], observers: 1).Booking;

        Assert.Equal((BookingStatus.Confirmed, 2), (booked.Status, booked.Seats));
    }

    [Fact]
    public void DestinationOfReturn_a_returnee_goes_only_to_its_nationality_or_a_country_that_accepted_its_readmission()
    {
        var operation = new AnnouncedOperation(destinations: ["NG", "GE"]);
        var pakistani = Judged.Forced("AT", "at-pk", countriesOfReturn: ["PK"]);
        var acceptedByGeorgia = Judged.Forced("AT", "at-pk-ge", countriesOfReturn: ["PK", "GE"]);
        var nigerian = Judged.Forced("AT", "at-ng", countriesOfReturn: ["NG"]);

        var refused = operation.Refuses(() => operation.Book("AT", "b1", [nigerian, pakistani], escorts: 4));

        var violation = Assert.Single(refused.Violations);
        Assert.Equal(RuleCode.DestinationOfReturn, violation.Rule);
        Assert.StartsWith("at-pk:", violation.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("PK", violation.Detail, StringComparison.Ordinal);
        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "b2", [nigerian, acceptedByGeorgia], escorts: 4).Booking.Status);
        // Country codes compare without case; a case the returnee grain no longer knows (null) is judged by its own rules.
        Assert.Empty(BookingRules.DestinationOfReturn(operation.Plan, [Judged.Forced("AT", "x", countriesOfReturn: ["ng"])]));
        Assert.Empty(BookingRules.DestinationOfReturn(operation.Plan, [Judged.Forced("AT", "x") with { CountriesOfReturn = null }]));
    }

    [Fact]
    public void Eligibility_every_violation_a_returnee_grain_found_is_passed_on_with_the_returnee_id()
    {
        var operation = new AnnouncedOperation();
        var ineligible = Judged.Ineligible("AT", "at-2", s_appeal, new RuleViolation(RuleCode.TravelDocument, "no valid document on the day of departure"));

        var refused = operation.Refuses(() => operation.Book("AT", "b1", [Judged.Forced("AT", "at-1"), ineligible], escorts: 4));

        Assert.Equal([RuleCode.SuspensiveAppeal, RuleCode.TravelDocument], refused.Violations.Select(v => v.Rule));
        Assert.All(refused.Violations, v => Assert.StartsWith("at-2: ", v.Detail, StringComparison.Ordinal));
        Assert.Equal(RuleCode.SuspensiveAppeal, refused.Rule);
    }

    [Fact]
    public void Every_broken_rule_is_reported_together()
    {
        var operation = new AnnouncedOperation(capacity: 4, destinations: ["GE"]);
        var members = new Dictionary<string, IReadOnlyList<string>> { ["f1"] = ["at-1", "at-2"] };

        var rules = operation.RulesBrokenBy(() => operation.Book("AT", "b1",
            [Judged.Forced("AT", "at-1", family: "f1"), Judged.Ineligible("AT", "at-3", s_appeal)], escorts: 3, families: members));

        // Both returnees are judged for their destination; the first broken rule is the first returnee's own.
        Assert.Equal(
            [RuleCode.SuspensiveAppeal, RuleCode.DestinationOfReturn, RuleCode.DestinationOfReturn, RuleCode.EscortRatio, RuleCode.Capacity, RuleCode.FamilyUnity],
            rules);
    }

    [Fact]
    public void Validation_a_country_books_only_its_own_returnees()
    {
        var operation = new AnnouncedOperation();
        var german = Judged.Forced("DE", "de-1");

        var refused = operation.Refuses(() => operation.Book("AT", "b1", [german], escorts: 2));

        var violation = Assert.Single(refused.Violations);
        Assert.Equal(RuleCode.Validation, violation.Rule);
        Assert.StartsWith("de-1:", violation.Detail, StringComparison.Ordinal);
        Assert.Equal(BookingStatus.Confirmed, operation.Book("DE", "b2", [german], escorts: 2).Booking.Status);
    }

    [Fact]
    public void Validation_a_booking_names_distinct_returnees_takes_a_seat_and_counts_no_negative_staff()
    {
        var operation = new AnnouncedOperation();
        var returnee = Judged.Forced("AT", "at-1");

        Assert.Equal([RuleCode.Validation], operation.RulesBrokenBy(() => operation.Book("AT", "twice", [returnee, returnee], escorts: 4)));
        Assert.Equal([RuleCode.Validation], operation.RulesBrokenBy(() => operation.Book("AT", "empty", [])));
        Assert.Contains(RuleCode.Validation, operation.RulesBrokenBy(() => operation.Book("AT", "negative", [returnee], escorts: 3, observers: -1)));
        Assert.Equal(BookingStatus.Confirmed, operation.Book("AT", "one-seat", [], observers: 1).Booking.Status);
    }
}
