using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>The operation's plan, views and persistence; bookings, lifecycle and oversight are in the other parts.</summary>
[GrainType("return-operation")]
public sealed partial class ReturnOperationGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<ReturnOperationState> state, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, GrainsOptions options)
    : DomainGrain, IReturnOperationGrain, IRemindable
{
    private ReturnOperationState S => state.State;
    private OperationPlan Plan => S.Plan ?? throw new ResourceNotFoundException($"Operation {GetPrimaryKeyString()} not found.");
    private string Id => GetPrimaryKeyString();
    private DateTimeOffset Departure => Plan.Legs[0].Departure;

    public async Task<OperationView> Create(OperationPlan plan)
    {
        if (S.Plan is not null)
        {
            return SamePlan(S.Plan, plan) ? View() : throw new DomainRuleException(RuleCode.Validation, "This operation id is already used.");
        }
        Validate(plan);
        S.Plan = plan with { Destinations = [.. plan.Destinations], Legs = [.. plan.Legs.OrderBy(l => l.Departure)] };
        S.EscortsPerReturnee = plan.EscortsPerReturnee ?? EscortRatio.Default;
        S.Status = OperationStatus.Draft;
        await Save();
        return View();
    }

    public Task<OperationView?> GetView() => Task.FromResult(S.Plan is null ? null : View());

    public Task<OperationAccessView?> GetAccess() =>
        Task.FromResult(S.Plan is { } plan ? new OperationAccessView(plan.Organiser, plan.Destinations, S.Status, Version) : null);

    private void Validate(OperationPlan plan)
    {
        var problems = new List<string>();
        if (plan.Destinations.Count is < 1 or > 3 || plan.Destinations.Distinct().Count() != plan.Destinations.Count)
        {
            problems.Add("one to three distinct destinations");
        }
        if (plan.Legs.Count == 0)
        {
            problems.Add("at least one leg");
        }
        if (plan.SeatCapacity is <= 0 or > BookingLimits.MaxSeatCapacity)
        {
            problems.Add($"a seat capacity of 1 to {BookingLimits.MaxSeatCapacity}");
        }
        if (plan.EscortsPerReturnee is < 0 or > BookingLimits.MaxEscortsPerReturnee)
        {
            problems.Add($"a ratio of 0 to {BookingLimits.MaxEscortsPerReturnee} escorts per returnee");
        }
        if (plan.Legs.Count > 0 && plan.BookingDeadline > plan.Legs.Min(l => l.Departure))
        {
            problems.Add("a booking deadline before departure");
        }
        if (plan.BookingDeadline <= clock.GetUtcNow())
        {
            problems.Add("a booking deadline in the future");
        }
        if (problems.Count > 0)
        {
            throw new DomainRuleException(RuleCode.Validation, "An operation needs " + string.Join(", ", problems) + ".");
        }
    }

    private static bool SamePlan(OperationPlan a, OperationPlan b) =>
        a.Type == b.Type && a.Organiser == b.Organiser && a.OrganiserSuppliesEscorts == b.OrganiserSuppliesEscorts && a.SeatCapacity == b.SeatCapacity && a.BookingDeadline == b.BookingDeadline
        && a.Destinations.SequenceEqual(b.Destinations) && a.Legs.OrderBy(l => l.Departure).SequenceEqual(b.Legs.OrderBy(l => l.Departure));

    private OperationView View()
    {
        var plan = Plan;
        var confirmed = SeatAllocation.ConfirmedSeats(S.Bookings);
        var waitlisted = S.Bookings.Where(b => b.Status == BookingStatus.Waitlisted).Sum(b => b.Seats);
        return new OperationView(Id, plan.Type, plan.Organiser, plan.Destinations, plan.Legs, plan.SeatCapacity, plan.BookingDeadline,
            S.EscortsPerReturnee, S.Status, new SeatSummary(plan.SeatCapacity, confirmed, waitlisted, plan.SeatCapacity - confirmed),
            Participants(), Warnings(), [.. S.AssignedMonitors],
            [.. S.Clearances.Select(c => new ClearanceView(c.Key, c.Value.Cleared, [.. c.Value.RejectedReturnees], c.Value.Reason,
                c.Value.ManifestVersion == S.ManifestVersion))],
            S.OverrideReason, Version, S.ManifestShared, S.MonitorReports.Count > 0);
    }

    /// <summary>The domain revision (<see cref="OperationView.Version"/>, the ETag): it moves with every accepted change.</summary>
    private long Version => S.Revision;

    /// <summary>The If-Match precondition, checked in the turn before anything changes: null is no precondition.</summary>
    private void CheckExpectedVersion(long? expectedVersion) => Bookings.CheckRevision(expectedVersion);

    private List<ParticipantSummary> Participants() =>
        [.. S.Bookings.Where(b => b.Holds).GroupBy(b => b.Country).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var confirmed = g.Where(b => b.Status == BookingStatus.Confirmed).ToList();
            return new ParticipantSummary(g.Key, confirmed.Sum(b => b.ReturneeCount), confirmed.Sum(b => b.Escorts), confirmed.Sum(b => b.Medical),
                confirmed.Sum(b => b.Monitors), confirmed.Sum(b => b.Interpreters), confirmed.Sum(b => b.Observers),
                confirmed.Sum(b => b.Seats), g.Where(b => b.Status == BookingStatus.Waitlisted).Sum(b => b.Seats));
        })];

    /// <summary>Rule 10: an interpreter is recommended, never required. Warnings ask for action, so an ended operation has none.</summary>
    private List<string> Warnings()
    {
        var warnings = new List<string>();
        if (S.Status is OperationStatus.Completed or OperationStatus.Cancelled)
        {
            return warnings;
        }
        var confirmed = S.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        if (confirmed.Sum(b => b.ReturneeCount) > 0 && confirmed.Sum(b => b.Interpreters) == 0)
        {
            warnings.Add("interpreter: no interpreter is booked (recommended on every operation)");
        }
        var suspended = S.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Sum(b => b.Returnees.Count(r => r.Suspended));
        if (suspended > 0)
        {
            warnings.Add(suspended == 1
                ? "suspended: 1 returnee became ineligible after booking; the seat is suspended"
                : $"suspended: {suspended} returnees became ineligible after booking; their seats are suspended");
        }
        return warnings;
    }

    private static BookingView ViewOf(Booking b, bool withReturnees) => OperationBookings.View(b, withReturnees);

    private EligibilityContext Context() => new(Departure, Plan.Destinations, options.FitToTravelWindowDays);

    /// <summary>Stages a message for the next write, outside a booking batch (whose messages travel with the batch).</summary>
    private void Notify(string destination, Notification body) => EnqueueMessage(Message(destination, body));

    private OutboxMessage Message(string destination, Notification body) =>
        Outbox.Message(destination, Id, body.Subject, body with { OperationId = Id }, clock.GetUtcNow());

    private bool IsOrganiser(Caller caller) => caller.IsCoordinatorOf(Plan.Organiser);

    private IReturneeGrain Returnee(string id) => GrainFactory.GetGrain<IReturneeGrain>(id);
}
