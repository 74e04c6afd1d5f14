using System.ComponentModel.DataAnnotations;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;

namespace ReturnOps.Gateway.Operations;

/// <summary>One flight of an operation: from and to name the airports.</summary>
public sealed record LegInput([property: MaxLength(RequestLimits.MaxName)] string From, [property: MaxLength(RequestLimits.MaxName)] string To, DateTimeOffset Departure);

/// <summary>
/// Body of <c>POST /operations</c>; the organiser is the caller's country. <see cref="SeatCapacity"/> is 1 to
/// <see cref="BookingLimits.MaxSeatCapacity"/>, <see cref="EscortsPerReturnee"/> 0 to <see cref="BookingLimits.MaxEscortsPerReturnee"/>
/// (checked by the grain, 422 <c>validation</c>). The attributes here and on <see cref="BookingInput"/> are the limits the OpenAPI
/// document declares and <see cref="RequestLimits"/> enforces before the grain is called; the grain keeps its own checks.
/// </summary>
public sealed record OperationInput(
    OperationType Type,
    [property: MaxLength(OperationInput.MaxDestinations), ItemsMaxLength(2)] IReadOnlyList<string> Destinations,
    [property: MaxLength(OperationInput.MaxLegs)] IReadOnlyList<LegInput> Legs,
    [property: Range(1, BookingLimits.MaxSeatCapacity)] int SeatCapacity,
    DateTimeOffset BookingDeadline,
    [property: Range(0d, (double)BookingLimits.MaxEscortsPerReturnee)] decimal? EscortsPerReturnee = null,
    bool OrganiserSuppliesEscorts = false)
{
    /// <summary>An operation serves one to three destinations (the grain's plan rules).</summary>
    public const int MaxDestinations = 3;

    /// <summary>More flights than a charter rotation ever has.</summary>
    public const int MaxLegs = 20;
}

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
public sealed record StatusInput(OperationStatus To, [property: MaxLength(RequestLimits.MaxText)] string? Reason = null, bool OverrideClearance = false);

/// <summary>
/// Body of <c>POST /operations/{id}/bookings</c>: the caller's country's returnees and staff, booked whole. Every count is bounded
/// by <see cref="BookingLimits"/> (checked by the grain before seats are summed; out of range is 422 <c>validation</c>).
/// </summary>
public sealed record BookingInput(
    [property: MaxLength(BookingLimits.MaxReturneesPerBooking), ItemsMaxLength(RequestLimits.MaxIdLength)] IReadOnlyList<string> Returnees,
    [property: Range(0, BookingLimits.MaxEscorts)] int Escorts,
    [property: Range(0, BookingLimits.MaxMedical)] int Medical = 0,
    [property: Range(0, BookingLimits.MaxMonitors)] int Monitors = 0,
    [property: Range(0, BookingLimits.MaxInterpreters)] int Interpreters = 0,
    [property: Range(0, BookingLimits.MaxObservers)] int Observers = 0);

/// <summary>A page of an operation's bookings; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record BookingList(IReadOnlyList<BookingView> Items, string? NextAfter);

/// <summary>One staff member in <c>PUT /operations/{id}/bookings/{bookingId}/staff</c>: a service number, not a name.</summary>
public sealed record StaffMemberInput([property: MaxLength(StaffNaming.MaxReferenceLength)] string Reference, StaffRole Role, DateOnly TravelDocumentValidUntil);

/// <summary>Body of <c>PUT /operations/{id}/bookings/{bookingId}/staff</c>: the whole list, one member per booked staff seat.</summary>
public sealed record StaffInput([property: MaxLength(BookingLimits.MaxStaffPerBooking)] IReadOnlyList<StaffMemberInput> Staff);

/// <summary>Body of <c>POST /operations/{id}/no-shows</c>.</summary>
public sealed record NoShowInput([property: MaxLength(RequestLimits.MaxIdLength)] string ReturneeId, NoShowReason Reason);

/// <summary>Body of <c>POST /operations/{id}/clearance</c>.</summary>
public sealed record ClearanceInput(
    bool Cleared,
    [property: MaxLength(BookingLimits.MaxSeatCapacity), ItemsMaxLength(RequestLimits.MaxIdLength)] IReadOnlyList<string>? RejectedReturnees = null,
    [property: MaxLength(RequestLimits.MaxText)] string? Reason = null);

/// <summary>Body of <c>POST /operations/{id}/monitors</c>.</summary>
public sealed record MonitorInput([property: MaxLength(RequestLimits.MaxName)] string Monitor);

/// <summary>Body of <c>POST /operations/{id}/monitor-report</c>.</summary>
public sealed record MonitorReportInput([property: MaxLength(RequestLimits.MaxText)] string Summary, bool IssuesFound);

/// <summary>Body of <c>POST /operations/{id}/incidents</c>: a serious incident or a returnee complaint.</summary>
public sealed record IncidentInput(
    [property: MaxLength(RequestLimits.MaxName)] string Category,
    bool UseOfForce,
    [property: MaxLength(RequestLimits.MaxText)] string Description,
    bool Complaint = false,
    [property: MaxLength(RequestLimits.MaxText)] string? Injuries = null,
    [property: MaxLength(RequestLimits.MaxText)] string? Measures = null,
    [property: MaxLength(RequestLimits.MaxText)] string? Outcome = null);

public sealed record IncidentCreated(string Id);
