namespace ReturnOps.Grains.Operations;

/// <summary>Frontex operation types (Reg. 2019/1896 Art 50); the type decides escorts and medical staff.</summary>
[GenerateSerializer]
[Alias("ReturnOps.OperationType")]
public enum OperationType
{
    Joint,
    National,
    Collecting,
    ScheduledFlight,
    VoluntaryCharter,
}

/// <summary>Lifecycle of domain.md; <see cref="Cancelled"/> is reachable from every state before <see cref="Departed"/>.</summary>
[GenerateSerializer]
[Alias("ReturnOps.OperationStatus")]
public enum OperationStatus
{
    Draft,
    Announced,
    BookingClosed,
    Confirmed,
    Departed,
    Completed,
    Cancelled,
}

[GenerateSerializer]
[Alias("ReturnOps.BookingStatus")]
public enum BookingStatus
{
    Confirmed,
    Waitlisted,
    Suspended,
    Cancelled,
}

/// <summary>One flight leg; pick-up stopovers are legs (VIE→ZAG→BEG→TIA is three legs).</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.Leg")]
public sealed record Leg(
    [property: Id(0)] string From,
    [property: Id(1)] string To,
    [property: Id(2)] DateTimeOffset Departure);

/// <summary>What the organiser plans; <see cref="EscortsPerReturnee"/> defaults to 2 (rule 8).</summary>
/// <param name="OrganiserSuppliesEscorts">The organiser brings every escort; each other state still sends at least 2 representatives.</param>
[GenerateSerializer]
[Alias("ReturnOps.OperationPlan")]
public sealed record OperationPlan(
    [property: Id(0)] OperationType Type,
    [property: Id(1)] string Organiser,
    [property: Id(2)] IReadOnlyList<string> Destinations,
    [property: Id(3)] IReadOnlyList<Leg> Legs,
    [property: Id(4)] int SeatCapacity,
    [property: Id(5)] DateTimeOffset BookingDeadline,
    [property: Id(6)] decimal? EscortsPerReturnee = null,
    [property: Id(7)] bool OrganiserSuppliesEscorts = false);

/// <summary>A seat request of one country: all its returnees and staff, confirmed or waitlisted whole.</summary>
/// <param name="BookingId">Made by the caller (the gateway), so that a retried request is recognised.</param>
[GenerateSerializer]
[Alias("ReturnOps.BookingRequest")]
public sealed record BookingRequest(
    [property: Id(0)] string BookingId,
    [property: Id(1)] IReadOnlyList<string> Returnees,
    [property: Id(2)] int Escorts,
    [property: Id(3)] int Medical = 0,
    [property: Id(4)] int Monitors = 0,
    [property: Id(5)] int Interpreters = 0,
    [property: Id(6)] int Observers = 0);

/// <summary>The answer to a booking request: the booking as decided, and whether this request repeated one decided before.</summary>
[GenerateSerializer]
[Alias("ReturnOps.BookingAnswer")]
public sealed record BookingAnswer(
    [property: Id(0)] BookingView Booking,
    [property: Id(1)] bool Replayed);

/// <summary>
/// A booking as a viewer may see it; <see cref="Returnees"/>, <see cref="SuspendedReturnees"/> and <see cref="Staff"/> are empty for
/// another country's booking. <see cref="ReturneeCount"/> and <see cref="Seats"/> count only returnees holding a seat: a suspended
/// returnee (rule 2) stays in <see cref="Returnees"/> and is listed in <see cref="SuspendedReturnees"/> until reinstated or cancelled.
/// </summary>
/// <param name="NamedStaff">How many staff members are named (rule 6); all of them are needed to confirm the operation.</param>
[GenerateSerializer]
[Alias("ReturnOps.BookingView")]
public sealed record BookingView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Country,
    [property: Id(2)] BookingStatus Status,
    [property: Id(3)] int Seats,
    [property: Id(4)] long Sequence,
    [property: Id(5)] int ReturneeCount,
    [property: Id(6)] int ForcedReturnees,
    [property: Id(7)] IReadOnlyList<string> Returnees,
    [property: Id(8)] int Escorts,
    [property: Id(9)] int Medical,
    [property: Id(10)] int Monitors,
    [property: Id(11)] int Interpreters,
    [property: Id(12)] int Observers,
    [property: Id(13)] int SuspendedReturneeCount,
    [property: Id(14)] IReadOnlyList<string> SuspendedReturnees,
    [property: Id(15)] int NamedStaff,
    [property: Id(16)] IReadOnlyList<StaffMember> Staff);

[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.SeatSummary")]
public sealed record SeatSummary(
    [property: Id(0)] int Capacity,
    [property: Id(1)] int Confirmed,
    [property: Id(2)] int Waitlisted,
    [property: Id(3)] int Free);

[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ParticipantSummary")]
public sealed record ParticipantSummary(
    [property: Id(0)] string Country,
    [property: Id(1)] int Returnees,
    [property: Id(2)] int Escorts,
    [property: Id(3)] int Medical,
    [property: Id(4)] int Monitors,
    [property: Id(5)] int Interpreters,
    [property: Id(6)] int Observers,
    [property: Id(7)] int ConfirmedSeats,
    [property: Id(8)] int WaitlistedSeats);

/// <summary>
/// A destination's verdict as the operation shows it. <paramref name="Outstanding"/>: a rejection that holds the departure back
/// (not cleared since, its people still on board, not overridden); <paramref name="OverriddenBecause"/>: the organiser's reason
/// for going on despite it.
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.ClearanceView")]
public sealed record ClearanceView(
    [property: Id(0)] string Destination,
    [property: Id(1)] bool Cleared,
    [property: Id(2)] IReadOnlyList<string> RejectedReturnees,
    [property: Id(3)] string? Reason,
    [property: Id(4)] bool Current,
    [property: Id(5)] bool Outstanding = false,
    [property: Id(6)] string? OverriddenBecause = null);

/// <summary>The operation as <c>GET /operations/{id}</c> shows it: counts, never personal data.</summary>
[GenerateSerializer]
[Alias("ReturnOps.OperationView")]
public sealed record OperationView(
    [property: Id(0)] string Id,
    [property: Id(1)] OperationType Type,
    [property: Id(2)] string Organiser,
    [property: Id(3)] IReadOnlyList<string> Destinations,
    [property: Id(4)] IReadOnlyList<Leg> Legs,
    [property: Id(5)] int SeatCapacity,
    [property: Id(6)] DateTimeOffset BookingDeadline,
    [property: Id(7)] decimal EscortsPerReturnee,
    [property: Id(8)] OperationStatus Status,
    [property: Id(9)] SeatSummary Seats,
    [property: Id(10)] IReadOnlyList<ParticipantSummary> Participants,
    [property: Id(11)] IReadOnlyList<string> Warnings,
    [property: Id(12)] IReadOnlyList<string> AssignedMonitors,
    [property: Id(13)] IReadOnlyList<ClearanceView> Clearances,
    [property: Id(14)] string? OverrideReason,
    [property: Id(15)] long Version,
    [property: Id(16)] bool ManifestShared,
    [property: Id(17)] bool MonitorReportFiled = false);

/// <summary>
/// What the gateway checks before it asks for a change: who may see the operation (its organiser, destinations and status)
/// and the revision an If-Match must name. No sums over the bookings, so it costs the same at the 1st and the 600th.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.OperationAccessView")]
public sealed record OperationAccessView(
    [property: Id(0)] string Organiser,
    [property: Id(1)] IReadOnlyList<string> Destinations,
    [property: Id(2)] OperationStatus Status,
    [property: Id(3)] long Version);

/// <summary>A lifecycle step asked for by the organiser. Confirming without clearance needs <see cref="OverrideClearance"/> and a reason.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.StatusChange")]
public sealed record StatusChange(
    [property: Id(0)] OperationStatus To,
    [property: Id(1)] string? Reason = null,
    [property: Id(2)] bool OverrideClearance = false);

/// <summary>A destination's verdict on the manifest before departure (rule 13).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ClearanceDecision")]
public sealed record ClearanceDecision(
    [property: Id(0)] bool Cleared,
    [property: Id(1)] IReadOnlyList<string> RejectedReturnees,
    [property: Id(2)] string? Reason);

/// <summary>One person on the manifest, with what escorts and medical staff must know (rule 5).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ManifestEntry")]
public sealed record ManifestEntry(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] string Country,
    [property: Id(2)] string BookingId,
    [property: Id(3)] string? Nationality,
    [property: Id(4)] int? BirthYear,
    [property: Id(5)] string? Sex,
    [property: Id(6)] string? FamilyGroup,
    [property: Id(7)] bool UnaccompaniedMinor,
    [property: Id(8)] string? ReceptionArrangement,
    [property: Id(9)] bool MedicalFlag,
    [property: Id(10)] IReadOnlyList<string> Vulnerabilities,
    [property: Id(11)] bool Voluntary);

/// <summary>The staff of one country on the manifest: counts, and the members named so far (rule 6).</summary>
[GenerateSerializer]
[Alias("ReturnOps.StaffLine")]
public sealed record StaffLine(
    [property: Id(0)] string Country,
    [property: Id(1)] int Escorts,
    [property: Id(2)] int Medical,
    [property: Id(3)] int Monitors,
    [property: Id(4)] int Interpreters,
    [property: Id(5)] int Observers,
    [property: Id(6)] IReadOnlyList<ManifestStaffMember> Members);

[GenerateSerializer]
[Alias("ReturnOps.Manifest")]
public sealed record Manifest(
    [property: Id(0)] string OperationId,
    [property: Id(1)] OperationStatus Status,
    [property: Id(2)] IReadOnlyList<ManifestEntry> Entries,
    [property: Id(3)] IReadOnlyList<StaffLine> Staff);

/// <summary>The forced-return monitor's report (rule 7).</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.MonitorReport")]
public sealed record MonitorReport(
    [property: Id(0)] string Summary,
    [property: Id(1)] bool IssuesFound);

/// <summary>A serious-incident report or a returnee complaint (rule 14); it reaches the fundamental-rights officer.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.IncidentReport")]
public sealed record IncidentReport(
    [property: Id(0)] string Category,
    [property: Id(1)] bool UseOfForce,
    [property: Id(2)] string? Injuries,
    [property: Id(3)] string? Measures,
    [property: Id(4)] string? Outcome,
    [property: Id(5)] bool Complaint,
    [property: Id(6)] string Description);
