namespace ReturnOps.Grains.Operations;

/// <summary>Frontex operation types (Reg. 2019/1896 Art 50); the type decides escorts and medical staff.</summary>
public enum OperationType
{
    Joint,
    National,
    Collecting,
    ScheduledFlight,
    VoluntaryCharter,
}

/// <summary>Lifecycle of domain.md; <see cref="Cancelled"/> is reachable from every state before <see cref="Departed"/>.</summary>
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

public enum BookingStatus
{
    Confirmed,
    Waitlisted,
    Suspended,
    Cancelled,
}

/// <summary>One flight leg; pick-up stopovers are legs (VIE→ZAG→BEG→TIA is three legs).</summary>
public sealed record Leg(string From, string To, DateTimeOffset Departure);

/// <summary>What the organiser plans; <see cref="EscortsPerReturnee"/> defaults to 2 (rule 8).</summary>
/// <param name="OrganiserSuppliesEscorts">The organiser brings every escort; each other state still sends at least 2 representatives.</param>
public sealed record OperationPlan(
    OperationType Type,
    string Organiser,
    IReadOnlyList<string> Destinations,
    IReadOnlyList<Leg> Legs,
    int SeatCapacity,
    DateTimeOffset BookingDeadline,
    decimal? EscortsPerReturnee = null,
    bool OrganiserSuppliesEscorts = false);

/// <summary>A seat request of one country: all its returnees and staff, confirmed or waitlisted whole.</summary>
/// <param name="BookingId">Made by the caller (the gateway), so that a retried request is recognised.</param>
public sealed record BookingRequest(
    string BookingId,
    IReadOnlyList<string> Returnees,
    int Escorts,
    int Medical = 0,
    int Monitors = 0,
    int Interpreters = 0,
    int Observers = 0);

/// <summary>
/// A booking as a viewer may see it; <see cref="Returnees"/>, <see cref="SuspendedReturnees"/> and <see cref="Staff"/> are empty for
/// another country's booking. <see cref="ReturneeCount"/> and <see cref="Seats"/> count only returnees holding a seat: a suspended
/// returnee (rule 2) stays in <see cref="Returnees"/> and is listed in <see cref="SuspendedReturnees"/> until reinstated or cancelled.
/// </summary>
/// <param name="NamedStaff">How many staff members are named (rule 6); all of them are needed to confirm the operation.</param>
public sealed record BookingView(
    string Id,
    string Country,
    BookingStatus Status,
    int Seats,
    long Sequence,
    int ReturneeCount,
    int ForcedReturnees,
    IReadOnlyList<string> Returnees,
    int Escorts,
    int Medical,
    int Monitors,
    int Interpreters,
    int Observers,
    int SuspendedReturneeCount,
    IReadOnlyList<string> SuspendedReturnees,
    int NamedStaff,
    IReadOnlyList<StaffMember> Staff);

public sealed record SeatSummary(int Capacity, int Confirmed, int Waitlisted, int Free);

public sealed record ParticipantSummary(
    string Country,
    int Returnees,
    int Escorts,
    int Medical,
    int Monitors,
    int Interpreters,
    int Observers,
    int ConfirmedSeats,
    int WaitlistedSeats);

public sealed record ClearanceView(string Destination, bool Cleared, IReadOnlyList<string> RejectedReturnees, string? Reason, bool Current);

/// <summary>The operation as <c>GET /operations/{id}</c> shows it: counts, never personal data.</summary>
public sealed record OperationView(
    string Id,
    OperationType Type,
    string Organiser,
    IReadOnlyList<string> Destinations,
    IReadOnlyList<Leg> Legs,
    int SeatCapacity,
    DateTimeOffset BookingDeadline,
    decimal EscortsPerReturnee,
    OperationStatus Status,
    SeatSummary Seats,
    IReadOnlyList<ParticipantSummary> Participants,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> AssignedMonitors,
    IReadOnlyList<ClearanceView> Clearances,
    string? OverrideReason,
    long Version,
    bool ManifestShared);

/// <summary>A lifecycle step asked for by the organiser. Confirming without clearance needs <see cref="OverrideClearance"/> and a reason.</summary>
public sealed record StatusChange(OperationStatus To, string? Reason = null, bool OverrideClearance = false);

/// <summary>A destination's verdict on the manifest before departure (rule 13).</summary>
public sealed record ClearanceDecision(bool Cleared, IReadOnlyList<string> RejectedReturnees, string? Reason);

/// <summary>One person on the manifest, with what escorts and medical staff must know (rule 5).</summary>
public sealed record ManifestEntry(
    string ReturneeId,
    string Country,
    string BookingId,
    string? Nationality,
    int? BirthYear,
    string? Sex,
    string? FamilyGroup,
    bool UnaccompaniedMinor,
    string? ReceptionArrangement,
    bool MedicalFlag,
    IReadOnlyList<string> Vulnerabilities,
    bool Voluntary);

/// <summary>The staff of one country on the manifest: counts, and the members named so far (rule 6).</summary>
public sealed record StaffLine(string Country, int Escorts, int Medical, int Monitors, int Interpreters, int Observers, IReadOnlyList<ManifestStaffMember> Members);

public sealed record Manifest(string OperationId, OperationStatus Status, IReadOnlyList<ManifestEntry> Entries, IReadOnlyList<StaffLine> Staff);

/// <summary>The forced-return monitor's report (rule 7).</summary>
public sealed record MonitorReport(string Summary, bool IssuesFound);

/// <summary>A serious-incident report or a returnee complaint (rule 14); it reaches the fundamental-rights officer.</summary>
public sealed record IncidentReport(
    string Category,
    bool UseOfForce,
    string? Injuries,
    string? Measures,
    string? Outcome,
    bool Complaint,
    string Description);
