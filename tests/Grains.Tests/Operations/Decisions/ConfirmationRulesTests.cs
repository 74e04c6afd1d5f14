using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// What confirming needs, decided with no cluster (<see cref="ConfirmationRules"/>): rule 7 (a monitor on a forced return),
/// rule 9 (escorts for the forced returnees as their cases say now, medical staff on a charter), rule 13 (every destination's
/// clearance of the current manifest, or an override with a reason) and rule 6 (staff named with valid documents).
/// </summary>
public sealed class ConfirmationRulesTests
{
    private static readonly DateOnly s_valid = DateOnly.FromDateTime(AnnouncedOperation.Deadline.AddYears(1).UtcDateTime);

    [Fact]
    public void A_closed_operation_with_escorts_medical_staff_a_monitor_named_staff_and_a_clearance_confirms()
    {
        var operation = Closed();

        Assert.Empty(Broken(operation));
    }

    [Fact]
    public void Rule_7_a_forced_return_without_a_monitor_is_refused_and_an_assigned_monitor_is_enough()
    {
        var operation = Closed(monitors: 0);

        Assert.Equal([RuleCode.MonitorRequired], Broken(operation));
        operation.State.AssignedMonitors.Add("monitor-1");
        Assert.Empty(Broken(operation));
    }

    [Fact]
    public void Rule_9_a_charter_without_medical_staff_is_refused()
    {
        Assert.Equal([RuleCode.MedicalStaff], Broken(Closed(medical: 0)));
    }

    [Fact]
    public void Rule_9_a_scheduled_flight_needs_no_medical_staff()
    {
        Assert.Empty(Broken(Closed(medical: 0, type: OperationType.ScheduledFlight)));
    }

    [Fact]
    public void Rule_9_a_returnee_whose_case_turned_forced_since_booking_needs_its_escorts_now()
    {
        var operation = Closed();
        var assessed = Assessed(operation).Append(Judged.Forced("DE", "de-2")).ToList();
        operation.State.Bookings[0].Returnees.Add(new BookedReturnee { Id = "de-2", Forced = false });

        Assert.Equal([RuleCode.EscortRatio], Broken(operation, assessed));
    }

    [Fact]
    public void Rule_9_an_organiser_that_supplies_the_escorts_must_book_them_all()
    {
        var operation = Closed(organiserSuppliesEscorts: true);

        Assert.Contains(RuleCode.EscortRatio, Broken(operation));
    }

    [Fact]
    public void Rule_13_without_every_destinations_clearance_only_an_override_with_a_reason_confirms()
    {
        var operation = Closed(destinations: ["NG", "GH"]);

        Assert.Equal([RuleCode.ManifestClearance], Broken(operation));
        Assert.Equal([RuleCode.ManifestClearance], Broken(operation, change: new StatusChange(OperationStatus.Confirmed, " ", OverrideClearance: true)));
        Assert.Equal([RuleCode.ManifestClearance], Broken(operation, change: new StatusChange(OperationStatus.Confirmed, "court deadline")));
        Assert.Empty(Broken(operation, change: new StatusChange(OperationStatus.Confirmed, "court deadline", OverrideClearance: true)));
    }

    [Fact]
    public void Rule_13_a_clearance_of_an_earlier_manifest_or_one_rejecting_someone_on_board_does_not_count()
    {
        var stale = Closed();
        stale.State.ManifestVersion++;
        Assert.Equal([RuleCode.ManifestClearance], Broken(stale));

        var rejecting = Closed();
        rejecting.State.Clearances["NG"].RejectedReturnees.Add("de-1");
        Assert.Equal([RuleCode.ManifestClearance], Broken(rejecting));
    }

    [Fact]
    public void Rule_6_staff_not_named_or_with_a_document_expiring_before_departure_is_refused()
    {
        var unnamed = Closed();
        unnamed.State.Bookings[0].Staff.RemoveAt(0);
        Assert.Equal([RuleCode.TravelDocument], Broken(unnamed));

        var expired = Closed();
        var departureDay = DateOnly.FromDateTime(expired.Plan.Legs[0].Departure.UtcDateTime);
        expired.State.Bookings[0].Staff[0] = expired.State.Bookings[0].Staff[0] with { TravelDocumentValidUntil = departureDay.AddDays(-1) };
        Assert.Equal([RuleCode.TravelDocument], Broken(expired));
    }

    [Fact]
    public void Rule_6_staff_with_a_document_valid_on_the_departure_day_confirms()
    {
        var operation = Closed();
        var departureDay = DateOnly.FromDateTime(operation.Plan.Legs[0].Departure.UtcDateTime);
        var staff = operation.State.Bookings[0].Staff;
        staff[0] = staff[0] with { TravelDocumentValidUntil = departureDay };

        Assert.Empty(Broken(operation));
    }

    [Fact]
    public void Rule_8_a_voluntary_charter_asks_no_escorts_for_a_returnee_that_turned_forced_since_booking()
    {
        var charter = new AnnouncedOperation(type: OperationType.VoluntaryCharter);
        charter.Book("DE", "de", [Judged.Voluntary("DE", "de-1")], medical: 1, monitors: 1);
        var booking = charter.Booking("de");
        booking.Staff = [new StaffMember("M1", StaffRole.Medical, s_valid), new StaffMember("FM1", StaffRole.Monitor, s_valid)];
        charter.State.Status = OperationStatus.BookingClosed;
        charter.State.Clearances["NG"] = new ClearanceRecord { Cleared = true, ManifestVersion = charter.State.ManifestVersion };

        // The case turned forced: it may not travel on the charter (voluntary only), yet no escorts are asked for it.
        Assert.Equal([RuleCode.VoluntaryOnly], Broken(charter, [Judged.Forced("DE", "de-1")]));
    }

    [Fact]
    public void A_returnee_that_breaks_its_own_rules_now_is_refused_with_its_id()
    {
        var operation = Closed();
        var assessed = new List<Reservation> { Judged.Ineligible("DE", "de-1", new RuleViolation(RuleCode.SuspensiveAppeal, "appeal pending")) };

        var refused = Assert.Throws<DomainRuleException>(() => ConfirmationRules.Check(AnnouncedOperation.Id, operation.State, assessed, Confirm));

        Assert.Contains(refused.Violations, v => v.Rule == RuleCode.SuspensiveAppeal && v.Detail == "de-1: appeal pending");
    }

    [Fact]
    public void Only_the_travelling_returnees_of_confirmed_bookings_are_judged_again()
    {
        var operation = Closed();

        Assert.Equal(["de-1"], ConfirmationRules.ToAssess(operation.State));
    }

    private static readonly StatusChange Confirm = new(OperationStatus.Confirmed);

    /// <summary>
    /// Booking closed with one confirmed booking of one forced returnee, two escorts, medical staff and a monitor as asked,
    /// all named with documents valid at departure, and every destination's clearance of the current manifest.
    /// </summary>
    private static AnnouncedOperation Closed(int medical = 1, int monitors = 1, OperationType type = OperationType.Joint,
        IReadOnlyList<string>? destinations = null, bool organiserSuppliesEscorts = false)
    {
        var operation = new AnnouncedOperation(type: type, destinations: destinations, organiserSuppliesEscorts: organiserSuppliesEscorts);
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1")], escorts: 2, medical: medical, monitors: monitors);
        var booking = operation.Booking("de");
        booking.Staff = [.. Enumerable.Range(1, 2).Select(i => new StaffMember($"E{i}", StaffRole.Escort, s_valid)),
            .. Enumerable.Range(1, medical).Select(i => new StaffMember($"M{i}", StaffRole.Medical, s_valid)),
            .. Enumerable.Range(1, monitors).Select(i => new StaffMember($"FM{i}", StaffRole.Monitor, s_valid))];
        operation.State.Status = OperationStatus.BookingClosed;
        operation.State.Clearances["NG"] = new ClearanceRecord { Cleared = true, ManifestVersion = operation.State.ManifestVersion };
        return operation;
    }

    private static List<Reservation> Assessed(AnnouncedOperation operation) =>
        [.. ConfirmationRules.ToAssess(operation.State).Select(id => Judged.Forced("DE", id))];

    private static List<string> Broken(AnnouncedOperation operation, IReadOnlyList<Reservation>? assessed = null, StatusChange? change = null) =>
        [.. ConfirmationRules.Violations(AnnouncedOperation.Id, operation.State, assessed ?? Assessed(operation), change ?? Confirm).Select(v => v.Rule)];
}
