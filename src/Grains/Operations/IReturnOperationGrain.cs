using ReturnOps.Grains.Rules;
using ReturnOps.Runtime;

namespace ReturnOps.Grains.Operations;

/// <summary>One return operation, keyed by an id the gateway makes. Every booking rule is decided in its turn.</summary>
public interface IReturnOperationGrain : IGrainWithStringKey
{
    /// <summary>Creates the operation in Draft; repeating the same plan is harmless.</summary>
    Task<OperationView> Create(OperationPlan plan);

    /// <summary>The operation, or null if it does not exist.</summary>
    [ReadOnly]
    Task<OperationView?> GetView();

    /// <summary>Moves the lifecycle (organiser only), with the guards of each step.</summary>
    Task<OperationView> ChangeStatus(Caller caller, StatusChange change);

    /// <summary>Books seats for the caller's country: confirmed or waitlisted whole, or refused with a rule.</summary>
    Task<BookingView> RequestBooking(Caller caller, BookingRequest request);

    /// <summary>Cancels one of the caller's country's bookings and gives its seats to the waitlist.</summary>
    Task CancelBooking(Caller caller, string bookingId);

    /// <summary>Puts a suspended booking back: it arrives again, confirmed if it fits, else waitlisted.</summary>
    Task<BookingView> ReinstateBooking(Caller caller, string bookingId);

    /// <summary>Early warning: a booked returnee became ineligible; suspends its booking at once. Idempotent.</summary>
    Task SuspendReturnee(string returneeId, IReadOnlyList<string> rules);

    /// <summary>Bookings the caller may see: its country's, or all for the organiser (returnee ids only of its own).</summary>
    [ReadOnly]
    Task<IReadOnlyList<BookingView>> GetBookings(Caller caller);

    /// <summary>The manifest as the caller may see it (rule 16).</summary>
    [ReadOnly]
    Task<Manifest> GetManifest(Caller caller);

    /// <summary>A destination's partner clears or rejects the manifest (rule 13).</summary>
    Task<OperationView> Clear(Caller caller, ClearanceDecision decision);

    /// <summary>Assigns a forced-return monitor (secretariat or organiser; rule 7).</summary>
    Task<OperationView> AssignMonitor(Caller caller, string monitor);

    /// <summary>An assigned monitor's report; it goes to the secretariat, the FRO and every participating state.</summary>
    Task FileMonitorReport(Caller caller, MonitorReport report);

    /// <summary>A serious incident or complaint from a participant or monitor; reaches role <c>fro</c> at once. Returns its id.</summary>
    Task<string> FileIncident(Caller caller, IncidentReport report);
}
