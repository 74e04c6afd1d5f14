using Orleans.Concurrency;
using ReturnOps.Grains.Costs;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>One return operation, keyed by an id the gateway makes. Every booking rule is decided in its turn.</summary>
[Alias("ReturnOps.IReturnOperationGrain")]
public interface IReturnOperationGrain : IGrainWithStringKey
{
    /// <summary>Creates the operation in Draft; repeating the same plan is harmless.</summary>
    [Alias("Create")]
    Task<OperationView> Create(OperationPlan plan);

    /// <summary>The operation, or null if it does not exist.</summary>
    [ReadOnly]
    [Alias("GetView")]
    Task<OperationView?> GetView();

    /// <summary>Who may see the operation and its revision, or null if it does not exist: the gateway's check before a change.</summary>
    /// <remarks>
    /// Interleaves (issue 13): answered from memory between two decisions, never waiting for a write in flight or holding
    /// back the bookings, as <see cref="GetView"/> does. The revision may count decisions not yet stored; the change itself
    /// checks If-Match again when it is decided, so nothing is granted on it.
    /// </remarks>
    [AlwaysInterleave]
    [Alias("GetAccess")]
    Task<OperationAccessView?> GetAccess();

    /// <summary>Moves the lifecycle (organiser only), with the guards of each step.</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    /// <exception cref="PreconditionFailedException">The operation's version is not <paramref name="expectedVersion"/>.</exception>
    [Alias("ChangeStatus")]
    Task<OperationView> ChangeStatus(Caller caller, StatusChange change, long? expectedVersion = null);

    /// <summary>
    /// Books seats for the caller's country: confirmed or waitlisted whole, or refused with a rule. The gateway's one call for a
    /// booking (issue 22): an operation the caller may not see is not found, and a request whose booking id was decided before
    /// (the same Idempotency-Key, through any gateway) gets that booking's first answer, marked replayed.
    /// </summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked when the booking is decided. Null: no precondition.</param>
    /// <param name="audit">
    /// The audit entry of the request: written with the booking (or, for a replay, in the next batch) before the answer, with
    /// outcome 201; a refusal is not written here (the gateway records it). Null: nothing audited here.
    /// </param>
    /// <remarks>Interleaves with other bookings (group commit): each is decided in arrival order and answered once stored.</remarks>
    [AlwaysInterleave]
    [Alias("RequestBooking")]
    Task<BookingAnswer> RequestBooking(Caller caller, BookingRequest request, long? expectedVersion = null, AuditNote? audit = null);

    /// <summary>
    /// Cancels one of the caller's country's bookings and gives its seats to the waitlist. One call, like a booking: the
    /// operation checks visibility and If-Match itself.
    /// </summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked when the cancellation is decided. Null: no precondition.</param>
    /// <param name="audit">
    /// The audit entry of the request: written with the cancellation (or, for a retry of one, in a write of its own) before
    /// the answer, with outcome 204; a refusal is not written here (the gateway records it). Null: nothing audited here.
    /// </param>
    /// <remarks>
    /// Interleaves like a booking (group commit): decided in arrival order among the bookings, stored in their batch, and
    /// answered once stored and its returnees are let go.
    /// </remarks>
    [AlwaysInterleave]
    [Alias("CancelBooking")]
    Task CancelBooking(Caller caller, string bookingId, long? expectedVersion = null, AuditNote? audit = null);

    /// <summary>
    /// Takes one returnee (and its family on the booking, rule 4) off a booking, the rest of it standing (a destination rejected the person): the booking's coordinator
    /// any of its returnees, the organiser one a destination rejected. Its seat goes to the waitlist; one call, like a cancellation.
    /// </summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked when the removal is decided. Null: no precondition.</param>
    /// <param name="audit">The audit entry of the request, written with the removal (outcome 204). Null: nothing audited here.</param>
    /// <remarks>Interleaves like a cancellation (group commit), and is answered once stored and the returnee is let go.</remarks>
    [AlwaysInterleave]
    [Alias("RemoveReturnee")]
    Task RemoveReturnee(Caller caller, string bookingId, string returneeId, long? expectedVersion = null, AuditNote? audit = null);

    /// <summary>
    /// Brings a booking's suspended returnees back once eligible: into free seats of a confirmed booking, or, for a booking
    /// suspended whole, as a new arrival (confirmed if it fits, else waitlisted).
    /// </summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("ReinstateBooking")]
    Task<BookingView> ReinstateBooking(Caller caller, string bookingId, long? expectedVersion = null);

    /// <summary>Names the staff of one of the caller's country's bookings (rule 6): replaces the list; counts per role must match.</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("NameStaff")]
    Task<BookingView> NameStaff(Caller caller, string bookingId, IReadOnlyList<StaffMember> staff, long? expectedVersion = null);

    /// <summary>Early warning: a booked returnee became ineligible; suspends its seat (and its family's) at once. Idempotent.</summary>
    [Alias("SuspendReturnee")]
    Task SuspendReturnee(string returneeId, IReadOnlyList<string> rules);

    /// <summary>Bookings the caller may see: its country's, or all for the organiser (returnee ids only of its own).</summary>
    [ReadOnly]
    [Alias("GetBookings")]
    Task<IReadOnlyList<BookingView>> GetBookings(Caller caller);

    /// <summary>The manifest as the caller may see it (rule 16).</summary>
    [ReadOnly]
    [Alias("GetManifest")]
    Task<Manifest> GetManifest(Caller caller);

    /// <summary>The organiser shares the manifest with the destinations (rule 16): from BookingClosed on, once, idempotent.</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("ShareManifest")]
    Task<OperationView> ShareManifest(Caller caller, long? expectedVersion = null);

    /// <summary>A destination's partner clears or rejects the manifest it was shared (rule 13).</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("Clear")]
    Task<OperationView> Clear(Caller caller, ClearanceDecision decision, long? expectedVersion = null);

    /// <summary>Assigns a forced-return monitor (secretariat or organiser; rule 7).</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("AssignMonitor")]
    Task<OperationView> AssignMonitor(Caller caller, string monitor, long? expectedVersion = null);

    /// <summary>An assigned monitor's report; it goes to the secretariat, the FRO and every participating state.</summary>
    [Alias("FileMonitorReport")]
    Task FileMonitorReport(Caller caller, MonitorReport report);

    /// <summary>After departure, a returnee on the manifest did not board: counted per reason and freed for another operation.</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("RecordNoShow")]
    Task<NoShowView> RecordNoShow(Caller caller, string returneeId, NoShowReason reason, long? expectedVersion = null);

    /// <summary>A serious incident or complaint from a participant or monitor; reaches role <c>fro</c> at once. Returns its id.</summary>
    [Alias("FileIncident")]
    Task<string> FileIncident(Caller caller, IncidentReport report);

    /// <summary>Organiser, status and the seats each state holds for cost (rule 19), for the operation's cost record.</summary>
    [ReadOnly]
    [Alias("GetCostBasis")]
    Task<CostBasis> GetCostBasis();
}
