using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Rule 6 for staff: a country books staff as counts, then names them (service numbers) with their travel documents;
/// confirmation needs every confirmed booking's staff named with documents valid on the day of departure.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    /// <summary>A service number is short; anything longer is not one.</summary>
    public const int MaxStaffReferenceLength = 64;

    public async Task<BookingView> NameStaff(Caller caller, string bookingId, IReadOnlyList<StaffMember> staff, long? expectedVersion = null)
    {
        _ = Plan;
        var booking = OwnBooking(caller, bookingId);
        if (staff.Count > 0 && booking.Staff.SequenceEqual(staff))
        {
            // A repeated PUT: the same list is already there; answer as the first time although its own write moved the version.
            return ViewOf(booking, withReturnees: true);
        }
        CheckExpectedVersion(expectedVersion);
        if (booking.Status == BookingStatus.Cancelled || S.Status is not (OperationStatus.Announced or OperationStatus.BookingClosed or OperationStatus.Confirmed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "Staff are named for a booking that stands, until departure.");
        }
        var violations = CheckStaffList(booking, staff);
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
        if (booking.Staff.SequenceEqual(staff))
        {
            return ViewOf(booking, withReturnees: true); // an empty list for a booking without staff: nothing to name
        }
        // The clearance stays valid: the destination verifies the returnees; staff references are not part of the cleared version.
        booking.Staff = [.. staff];
        Bookings.Announce(booking, "booking.staff-named").ForEach(n => Notify(n.Destination, n.Body));
        await Save();
        return ViewOf(booking, withReturnees: true);
    }

    /// <summary>A list for one booking: well-formed distinct references, exactly the booked count per role, documents valid at departure.</summary>
    private List<RuleViolation> CheckStaffList(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        var violations = new List<RuleViolation>();
        if (staff.Count > BookingLimits.MaxStaffPerBooking)
        {
            return [new(RuleCode.Validation, $"A booking names at most {BookingLimits.MaxStaffPerBooking} staff members.")];
        }
        if (staff.Any(m => string.IsNullOrWhiteSpace(m.Reference) || m.Reference.Length > MaxStaffReferenceLength || m.Reference.Any(char.IsControl)
            || !Enum.IsDefined(m.Role)))
        {
            violations.Add(new(RuleCode.Validation, $"Every staff member needs a reference (service number) of at most {MaxStaffReferenceLength} characters and a role."));
        }
        // One person holds one seat: a reference appears once in the booking and in no other booking of its country on this operation.
        var elsewhere = S.Bookings.Where(b => b != booking && b.Country == booking.Country && b.Status != BookingStatus.Cancelled)
            .SelectMany(b => b.Staff).Select(m => m.Reference).ToHashSet(StringComparer.Ordinal);
        if (staff.Select(m => m.Reference).Distinct(StringComparer.Ordinal).Count() != staff.Count || staff.Any(m => elsewhere.Contains(m.Reference)))
        {
            violations.Add(new(RuleCode.Validation, "A staff reference appears twice: one person takes one seat."));
        }
        violations.AddRange(MissingStaff(booking, staff).Select(detail => new RuleViolation(RuleCode.Validation, detail)));
        violations.AddRange(ExpiredDocuments(booking, staff));
        return violations;
    }

    /// <summary>Where the named staff differ from the booked counts, per role.</summary>
    private static IEnumerable<string> MissingStaff(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        foreach (var (role, booked) in BookedStaff(booking))
        {
            var named = staff.Count(m => m.Role == role);
            if (named != booked)
            {
                yield return $"Booking {booking.Id}: {booked} {role} booked, {named} named.";
            }
        }
    }

    private IEnumerable<RuleViolation> ExpiredDocuments(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        var departureDay = DateOnly.FromDateTime(Departure.UtcDateTime);
        return staff.Where(m => m.TravelDocumentValidUntil < departureDay).Select(m => new RuleViolation(RuleCode.TravelDocument,
            $"Booking {booking.Id}: staff member {m.Reference} has no travel document valid on the day of departure."));
    }

    /// <summary>Rule 6 at confirmation: every confirmed booking has all its staff named, each with a document valid at departure.</summary>
    private IEnumerable<RuleViolation> CheckStaffNamed(IEnumerable<Booking> confirmed)
    {
        foreach (var booking in confirmed)
        {
            foreach (var missing in MissingStaff(booking, booking.Staff))
            {
                yield return new(RuleCode.TravelDocument, missing + " Every staff member must be named with a valid travel document.");
            }
            foreach (var expired in ExpiredDocuments(booking, booking.Staff))
            {
                yield return expired;
            }
        }
    }

    /// <summary>The manifest's staff lines; members in full to their country and the organiser, reference and role to the others.</summary>
    private List<StaffLine> StaffLines(Caller caller, IEnumerable<Booking> visible) =>
        [.. visible.GroupBy(b => b.Country).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var full = IsOrganiser(caller) || caller.IsCoordinatorOf(g.Key);
            return new StaffLine(g.Key, g.Sum(b => b.Escorts), g.Sum(b => b.Medical), g.Sum(b => b.Monitors), g.Sum(b => b.Interpreters), g.Sum(b => b.Observers),
                [.. g.SelectMany(b => b.Staff).Select(m => new ManifestStaffMember(m.Reference, m.Role, full ? m.TravelDocumentValidUntil : null))]);
        })];

    private static (StaffRole Role, int Booked)[] BookedStaff(Booking b) =>
        [(StaffRole.Escort, b.Escorts), (StaffRole.Medical, b.Medical), (StaffRole.Monitor, b.Monitors), (StaffRole.Interpreter, b.Interpreters), (StaffRole.Observer, b.Observers)];
}
