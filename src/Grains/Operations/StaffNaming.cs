using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Rule 6 for staff: a country books staff as counts, then names them (service numbers) with their travel documents;
/// confirmation needs every confirmed booking's staff named with documents valid on the day of departure.
/// </summary>
public sealed class StaffNaming(ReturnOperationState state)
{
    /// <summary>A service number is short; anything longer is not one.</summary>
    public const int MaxReferenceLength = 64;

    private DateOnly DepartureDay => DateOnly.FromDateTime(
        (state.Plan ?? throw new InvalidOperationException("An operation without a plan has no staff.")).Legs[0].Departure.UtcDateTime);

    /// <summary>A repeated PUT: the same non-empty list is named already.</summary>
    public static bool Repeats(Booking booking, IReadOnlyList<StaffMember> staff) => staff.Count > 0 && booking.Staff.SequenceEqual(staff);

    /// <summary>Names <paramref name="staff"/> for the booking, or refuses with every broken rule. False when nothing changed.</summary>
    public bool Name(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        if (booking.Status == BookingStatus.Cancelled || state.Status is not (OperationStatus.Announced or OperationStatus.BookingClosed or OperationStatus.Confirmed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "Staff are named for a booking that stands, until departure.");
        }
        if (Check(booking, staff) is { Count: > 0 } violations)
        {
            throw new DomainRuleException(violations);
        }
        if (booking.Staff.SequenceEqual(staff))
        {
            return false; // an empty list for a booking without staff: nothing to name
        }
        // The clearance stays valid: the destination verifies the returnees; staff references are not part of the cleared version.
        booking.Staff = [.. staff];
        return true;
    }

    /// <summary>A list for one booking: well-formed distinct references, exactly the booked count per role, documents valid at departure.</summary>
    public List<RuleViolation> Check(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        var violations = new List<RuleViolation>();
        if (staff.Count > BookingLimits.MaxStaffPerBooking)
        {
            return [new(RuleCode.Validation, $"A booking names at most {BookingLimits.MaxStaffPerBooking} staff members.")];
        }
        if (staff.Any(m => string.IsNullOrWhiteSpace(m.Reference) || m.Reference.Length > MaxReferenceLength || m.Reference.Any(char.IsControl)
            || !Enum.IsDefined(m.Role)))
        {
            violations.Add(new(RuleCode.Validation, $"Every staff member needs a reference (service number) of at most {MaxReferenceLength} characters and a role."));
        }
        // One person holds one seat: a reference appears once in the booking and in no other booking of its country on this operation.
        var elsewhere = state.Bookings.Where(b => b != booking && b.Country == booking.Country && b.Status != BookingStatus.Cancelled)
            .SelectMany(b => b.Staff).Select(m => m.Reference).ToHashSet(StringComparer.Ordinal);
        if (staff.Select(m => m.Reference).Distinct(StringComparer.Ordinal).Count() != staff.Count || staff.Any(m => elsewhere.Contains(m.Reference)))
        {
            violations.Add(new(RuleCode.Validation, "A staff reference appears twice: one person takes one seat."));
        }
        violations.AddRange(Missing(booking, staff).Select(detail => new RuleViolation(RuleCode.Validation, detail)));
        violations.AddRange(Expired(booking, staff));
        return violations;
    }

    /// <summary>Rule 6 at confirmation: every confirmed booking has all its staff named, each with a document valid at departure.</summary>
    public IEnumerable<RuleViolation> CheckNamed(IEnumerable<Booking> confirmed)
    {
        foreach (var booking in confirmed)
        {
            foreach (var missing in Missing(booking, booking.Staff))
            {
                yield return new(RuleCode.TravelDocument, missing + " Every staff member must be named with a valid travel document.");
            }
            foreach (var expired in Expired(booking, booking.Staff))
            {
                yield return expired;
            }
        }
    }

    /// <summary>Where the named staff differ from the booked counts, per role.</summary>
    private static IEnumerable<string> Missing(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        foreach (var (role, booked) in Booked(booking))
        {
            var named = staff.Count(m => m.Role == role);
            if (named != booked)
            {
                yield return $"Booking {booking.Id}: {booked} {role} booked, {named} named.";
            }
        }
    }

    private IEnumerable<RuleViolation> Expired(Booking booking, IReadOnlyList<StaffMember> staff)
    {
        var departureDay = DepartureDay;
        return staff.Where(m => m.TravelDocumentValidUntil < departureDay).Select(m => new RuleViolation(RuleCode.TravelDocument,
            $"Booking {booking.Id}: staff member {m.Reference} has no travel document valid on the day of departure."));
    }

    private static (StaffRole Role, int Booked)[] Booked(Booking b) =>
        [(StaffRole.Escort, b.Escorts), (StaffRole.Medical, b.Medical), (StaffRole.Monitor, b.Monitors), (StaffRole.Interpreter, b.Interpreters), (StaffRole.Observer, b.Observers)];
}
