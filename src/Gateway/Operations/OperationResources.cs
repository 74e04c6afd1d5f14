using System.ComponentModel.DataAnnotations;
using ReturnOps.Grains.Operations;

namespace ReturnOps.Gateway.Operations;

public sealed record LegInput(string From, string To, DateTimeOffset Departure);

/// <summary>
/// Body of <c>POST /operations</c>; the organiser is the caller's country. <see cref="SeatCapacity"/> is 1 to
/// <see cref="BookingLimits.MaxSeatCapacity"/>, <see cref="EscortsPerReturnee"/> 0 to <see cref="BookingLimits.MaxEscortsPerReturnee"/>
/// (checked by the grain, 422 <c>validation</c>). The range attributes here and on <see cref="BookingInput"/> only describe the limits in
/// the OpenAPI document: the gateway does not turn on the framework's validation, so the grain stays the one place that decides.
/// </summary>
public sealed record OperationInput(
    OperationType Type,
    IReadOnlyList<string> Destinations,
    IReadOnlyList<LegInput> Legs,
    [property: Range(1, BookingLimits.MaxSeatCapacity)] int SeatCapacity,
    DateTimeOffset BookingDeadline,
    [property: Range(0d, (double)BookingLimits.MaxEscortsPerReturnee)] decimal? EscortsPerReturnee = null,
    bool OrganiserSuppliesEscorts = false);

/// <summary>One row of <c>GET /operations</c>, from the read model: counts only.</summary>
public sealed record OperationSummary(
    string Id,
    OperationType Type,
    string Organiser,
    OperationStatus Status,
    IReadOnlyList<string> Destinations,
    DateTimeOffset Departure,
    DateTimeOffset BookingDeadline,
    SeatSummary Seats);

/// <summary>
/// A page of the operations list: the contract's <c>{items, total, page, pageSize}</c> and <see cref="NextAfter"/>, the cursor
/// of the next page (null on the last).
/// </summary>
public sealed record OperationPage(IReadOnlyList<OperationSummary> Items, long Total, int Page, int PageSize, string? NextAfter);

/// <summary>Body of <c>POST /operations/{id}/status</c>; confirming without clearance needs <see cref="OverrideClearance"/> and a reason.</summary>
public sealed record StatusInput(OperationStatus To, string? Reason = null, bool OverrideClearance = false);

/// <summary>
/// Body of <c>POST /operations/{id}/bookings</c>: the caller's country's returnees and staff, booked whole. Every count is bounded
/// by <see cref="BookingLimits"/> (checked by the grain before seats are summed; out of range is 422 <c>validation</c>).
/// </summary>
public sealed record BookingInput(
    [property: MaxLength(BookingLimits.MaxReturneesPerBooking)] IReadOnlyList<string> Returnees,
    [property: Range(0, BookingLimits.MaxEscorts)] int Escorts,
    [property: Range(0, BookingLimits.MaxMedical)] int Medical = 0,
    [property: Range(0, BookingLimits.MaxMonitors)] int Monitors = 0,
    [property: Range(0, BookingLimits.MaxInterpreters)] int Interpreters = 0,
    [property: Range(0, BookingLimits.MaxObservers)] int Observers = 0);

/// <summary>A page of an operation's bookings; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record BookingList(IReadOnlyList<BookingView> Items, string? NextAfter);

/// <summary>One staff member in <c>PUT /operations/{id}/bookings/{bookingId}/staff</c>: a service number, not a name.</summary>
public sealed record StaffMemberInput(string Reference, StaffRole Role, DateOnly TravelDocumentValidUntil);

/// <summary>Body of <c>PUT /operations/{id}/bookings/{bookingId}/staff</c>: the whole list, one member per booked staff seat.</summary>
public sealed record StaffInput([property: MaxLength(BookingLimits.MaxStaffPerBooking)] IReadOnlyList<StaffMemberInput> Staff);

/// <summary>Body of <c>POST /operations/{id}/no-shows</c>.</summary>
public sealed record NoShowInput(string ReturneeId, NoShowReason Reason);

/// <summary>Body of <c>POST /operations/{id}/clearance</c>.</summary>
public sealed record ClearanceInput(bool Cleared, IReadOnlyList<string>? RejectedReturnees = null, string? Reason = null);

/// <summary>Body of <c>POST /operations/{id}/monitors</c>.</summary>
public sealed record MonitorInput(string Monitor);

/// <summary>Body of <c>POST /operations/{id}/monitor-report</c>.</summary>
public sealed record MonitorReportInput(string Summary, bool IssuesFound);

/// <summary>Body of <c>POST /operations/{id}/incidents</c>: a serious incident or a returnee complaint.</summary>
public sealed record IncidentInput(
    string Category,
    bool UseOfForce,
    string Description,
    bool Complaint = false,
    string? Injuries = null,
    string? Measures = null,
    string? Outcome = null);

public sealed record IncidentCreated(string Id);
