using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// What the operation needs to know of one person and nothing more (data minimisation, EDPS 2017-0874).
/// </summary>
/// <param name="Reference">The owning state's own case reference; never part of the opaque id.</param>
/// <param name="FamilyGroup">Label shared by members of one family (rule 4), unique within the owning state.</param>
/// <param name="ReceptionArrangement">For an unaccompanied minor: family member, guardian or facility (rule 3).</param>
[GenerateSerializer]
[Alias("ReturnOps.ReturneeCase")]
public sealed record ReturneeCase(
    [property: Id(0)] string Reference,
    [property: Id(1)] string Nationality,
    [property: Id(2)] int BirthYear,
    [property: Id(3)] string Sex,
    [property: Id(4)] string? FamilyGroup,
    [property: Id(5)] bool UnaccompaniedMinor,
    [property: Id(6)] string? ReceptionArrangement,
    [property: Id(7)] bool DecisionEnforceable,
    [property: Id(8)] bool AppealPending,
    [property: Id(9)] bool AppealSuspensive,
    [property: Id(10)] bool NonRefoulementCleared,
    [property: Id(11)] DateOnly? TravelDocumentValidUntil,
    [property: Id(12)] bool MedicalFlag,
    [property: Id(13)] DateOnly? FitToTravelOn,
    [property: Id(14)] IReadOnlyList<string> Vulnerabilities,
    [property: Id(15)] bool Voluntary);

/// <summary>Where a case stands, for lists (<c>GET /returnees?status=</c>).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReturneeStatus")]
public enum ReturneeStatus
{
    Available,
    Ineligible,
    Booked,
    Erased,
}

/// <summary>A seat request on one operation: the booking that holds the returnee.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.BookingRef")]
public sealed record BookingRef(
    [property: Id(0)] string OperationId,
    [property: Id(1)] string BookingId);

/// <summary>What eligibility is judged against: the operation's departure and destinations.</summary>
/// <param name="FitToTravelWindowDays">A fit-to-travel record must be at most this old at departure (rule 5).</param>
[GenerateSerializer]
[Alias("ReturnOps.EligibilityContext")]
public sealed record EligibilityContext(
    [property: Id(0)] DateTimeOffset Departure,
    [property: Id(1)] IReadOnlyList<string> Destinations,
    [property: Id(2)] int FitToTravelWindowDays);

/// <summary>A returnee's case as its owner sees it. <see cref="Case"/> is null once erased.</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReturneeView")]
public sealed record ReturneeView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Owner,
    [property: Id(2)] ReturneeStatus Status,
    [property: Id(3)] ReturneeCase? Case,
    [property: Id(4)] BookingRef? Booking,
    [property: Id(5)] IReadOnlyDictionary<string, string> Readmission,
    [property: Id(6)] IReadOnlyList<RuleViolation> Violations);

/// <summary>The answer to a reservation: reserved, or the rules that stop it.</summary>
/// <param name="Forced">Not voluntary: counts for the escort ratio (rule 8).</param>
/// <param name="CountriesOfReturn">
/// Rule 21: the nationality and every destination that accepted this returnee's readmission (by reply or by silence);
/// null when the case is unknown or erased.
/// </param>
[GenerateSerializer]
[Alias("ReturnOps.Reservation")]
public sealed record Reservation(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] bool Reserved,
    [property: Id(2)] IReadOnlyList<RuleViolation> Violations,
    [property: Id(3)] string Owner,
    [property: Id(4)] string? FamilyGroup,
    [property: Id(5)] bool Forced,
    [property: Id(6)] IReadOnlyList<string>? CountriesOfReturn);

/// <summary>The result of changing a case; <see cref="SuspendedIn"/> is set when a booked returnee became ineligible.</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReturneeUpdate")]
public sealed record ReturneeUpdate(
    [property: Id(0)] ReturneeView View,
    [property: Id(1)] BookingRef? SuspendedIn,
    [property: Id(2)] IReadOnlyList<RuleViolation> Violations);
