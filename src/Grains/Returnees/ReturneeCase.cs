using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// What the operation needs to know of one person and nothing more (data minimisation, EDPS 2017-0874).
/// </summary>
/// <param name="Reference">The owning state's own case reference; never part of the opaque id.</param>
/// <param name="FamilyGroup">Label shared by members of one family (rule 4), unique within the owning state.</param>
/// <param name="ReceptionArrangement">For an unaccompanied minor: family member, guardian or facility (rule 3).</param>
public sealed record ReturneeCase(
    string Reference,
    string Nationality,
    int BirthYear,
    string Sex,
    string? FamilyGroup,
    bool UnaccompaniedMinor,
    string? ReceptionArrangement,
    bool DecisionEnforceable,
    bool AppealPending,
    bool AppealSuspensive,
    bool NonRefoulementCleared,
    DateOnly? TravelDocumentValidUntil,
    bool MedicalFlag,
    DateOnly? FitToTravelOn,
    IReadOnlyList<string> Vulnerabilities,
    bool Voluntary);

/// <summary>Where a case stands, for lists (<c>GET /returnees?status=</c>).</summary>
public enum ReturneeStatus
{
    Available,
    Ineligible,
    Booked,
    Erased,
}

/// <summary>A seat request on one operation: the booking that holds the returnee.</summary>
public sealed record BookingRef(string OperationId, string BookingId);

/// <summary>What eligibility is judged against: the operation's departure and destinations.</summary>
/// <param name="FitToTravelWindowDays">A fit-to-travel record must be at most this old at departure (rule 5).</param>
public sealed record EligibilityContext(DateTimeOffset Departure, IReadOnlyList<string> Destinations, int FitToTravelWindowDays);

/// <summary>A returnee's case as its owner sees it. <see cref="Case"/> is null once erased.</summary>
public sealed record ReturneeView(
    string Id,
    string Owner,
    ReturneeStatus Status,
    ReturneeCase? Case,
    BookingRef? Booking,
    IReadOnlyDictionary<string, string> Readmission,
    IReadOnlyList<RuleViolation> Violations);

/// <summary>The answer to a reservation: reserved, or the rules that stop it.</summary>
/// <param name="Forced">Not voluntary: counts for the escort ratio (rule 8).</param>
public sealed record Reservation(
    string ReturneeId,
    bool Reserved,
    IReadOnlyList<RuleViolation> Violations,
    string Owner,
    string? FamilyGroup,
    bool Forced);

/// <summary>The result of changing a case; <see cref="SuspendedIn"/> is set when a booked returnee became ineligible.</summary>
public sealed record ReturneeUpdate(ReturneeView View, BookingRef? SuspendedIn, IReadOnlyList<RuleViolation> Violations);
