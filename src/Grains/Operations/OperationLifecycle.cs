using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The lifecycle with a guard on every step: which status follows which, who moves it, and what a move changes and tells.
/// The grain keeps the reminders and the returnees' releases a move asks for.
/// </summary>
public sealed class OperationLifecycle(string operationId, ReturnOperationState state)
{
    private static readonly Dictionary<OperationStatus, OperationStatus[]> s_next = new()
    {
        [OperationStatus.Draft] = [OperationStatus.Announced, OperationStatus.Cancelled],
        [OperationStatus.Announced] = [OperationStatus.BookingClosed, OperationStatus.Cancelled],
        [OperationStatus.BookingClosed] = [OperationStatus.Confirmed, OperationStatus.Cancelled],
        [OperationStatus.Confirmed] = [OperationStatus.Departed, OperationStatus.Cancelled],
        [OperationStatus.Departed] = [OperationStatus.Completed],
        [OperationStatus.Completed] = [],
        [OperationStatus.Cancelled] = [],
    };

    private OperationPlan Plan => state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");

    /// <summary>Closes booking when the deadline passes.</summary>
    public const string DeadlineReminder = "booking-deadline";

    /// <summary>Erases the personal data when the retention period ends (rule 15).</summary>
    public const string RetentionReminder = "retention";

    /// <summary>
    /// The reminders a move to <paramref name="to"/> sets, with when they fall due, and forgets (no due time): the booking
    /// deadline while announced, retention from the end of the operation (rule 15).
    /// </summary>
    public IEnumerable<(string Name, TimeSpan? DueIn)> Reminders(OperationStatus to, DateTimeOffset now, int retentionDays) => to switch
    {
        OperationStatus.Announced => [(DeadlineReminder, Plan.BookingDeadline - now)],
        OperationStatus.BookingClosed => [(DeadlineReminder, null)],
        OperationStatus.Completed or OperationStatus.Cancelled => [(DeadlineReminder, null), (RetentionReminder, TimeSpan.FromDays(retentionDays))],
        _ => [],
    };

    /// <summary>Whether an operation may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool Allows(OperationStatus from, OperationStatus to) => s_next[from].Contains(to);

    /// <summary>The guards of a change asked for: the organiser moves it, along the table, and announces only before the deadline.</summary>
    public void Check(Caller caller, StatusChange change, DateTimeOffset now)
    {
        if (!caller.IsCoordinatorOf(Plan.Organiser))
        {
            throw new AccessDeniedException("Only the organiser moves the operation's lifecycle.");
        }
        if (!Allows(state.Status, change.To))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"An operation cannot go from {state.Status} to {change.To}.");
        }
        if (change.To == OperationStatus.Announced && now >= Plan.BookingDeadline)
        {
            throw new DomainRuleException(RuleCode.BookingClosed, "The booking deadline has passed; the operation cannot be announced.");
        }
        if (change.To == OperationStatus.Departed)
        {
            new DestinationClearance(operationId, state).CheckDeparture(change);
        }
    }

    /// <summary>Announced and its booking deadline reached: the deadline reminder closes booking.</summary>
    public bool DeadlinePassed(DateTimeOffset now) => state.Status == OperationStatus.Announced && now >= Plan.BookingDeadline;

    /// <summary>
    /// Moves to <paramref name="to"/>: a confirmation without every clearance keeps its override reason; an end starts retention
    /// (rule 15) and a cancellation keeps its reason. Every destination, participant and the secretariat learn of it.
    /// </summary>
    public List<Notice> Move(OperationStatus to, string? reason, DateTimeOffset now)
    {
        state.Status = to;
        var clearance = new DestinationClearance(operationId, state);
        if (to == OperationStatus.Confirmed)
        {
            state.OverrideReason = state.OverrideReason is null && !clearance.ByEveryDestination() ? reason : state.OverrideReason;
        }
        if (to is OperationStatus.Confirmed or OperationStatus.Departed)
        {
            // The guards let the move through: any rejection still standing was overridden, and must not hold the next step back.
            clearance.Override(reason);
        }
        if (to is OperationStatus.Completed or OperationStatus.Cancelled)
        {
            state.EndedAt = now;
        }
        if (to == OperationStatus.Cancelled)
        {
            state.CancelReason = reason;
        }
        var body = new Notification("operation." + to.ToString().ToLowerInvariant(), Status: to.ToString(), Reason: reason);
        return [.. Plan.Destinations.Concat(state.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Select(b => b.Country))
            .Append(Plan.Organiser).Distinct().Select(country => new Notice(Destination.Country(country), body))
            .Append(new Notice(Destination.Role(Caller.Secretariat), body))];
    }

    /// <summary>
    /// Whom a move lets go, each with its booking: at departure those who did not board (waitlisted, suspended), so that their
    /// state can book them on a later operation; at cancellation everyone booked. Retention then spares them if rebooked in time.
    /// </summary>
    public List<(string BookingId, string ReturneeId)> LetGo(OperationStatus to) => to switch
    {
        OperationStatus.Departed => [.. state.Bookings.Where(b => b.Status != BookingStatus.Cancelled)
            .SelectMany(b => b.Returnees.Where(r => b.Status != BookingStatus.Confirmed || r.Suspended).Select(r => (b.Id, r.Id)))],
        OperationStatus.Cancelled => [.. state.Bookings.Where(b => b.Status != BookingStatus.Cancelled).SelectMany(b => b.Returnees.Select(r => (b.Id, r.Id)))],
        _ => [],
    };
}
