using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The operation's shell: it loads, gathers what a decision needs, asks the domain types beside it to decide, stores and
/// answers. The plan and views are here; bookings, lifecycle, oversight, staff, no-shows and costs are in the other parts.
/// </summary>
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
        if (PlanRules.Create(S, plan, clock.GetUtcNow()))
        {
            await Save();
        }
        return View();
    }

    public Task<OperationView?> GetView() => Task.FromResult(S.Plan is null ? null : View());

    public Task<OperationAccessView?> GetAccess() => Task.FromResult(OperationSummary.Access(S));

    private OperationView View() => OperationSummary.View(Id, S);

    /// <summary>The If-Match precondition, checked in the turn before anything changes: null is no precondition.</summary>
    private void CheckExpectedVersion(long? expectedVersion) => Bookings.CheckRevision(expectedVersion);

    private static BookingView ViewOf(Booking b, bool withReturnees) => OperationBookings.View(b, withReturnees);

    private EligibilityContext Context() => new(Departure, Plan.Destinations, options.FitToTravelWindowDays);

    /// <summary>Stages a message for the next write, outside a booking batch (whose messages travel with the batch).</summary>
    private void Notify(string destination, Notification body) => EnqueueMessage(Message(destination, body));

    /// <summary>Stages a decision's messages for the next write.</summary>
    private void Send(IEnumerable<Notice> notices)
    {
        foreach (var notice in notices)
        {
            Notify(notice.Destination, notice.Body);
        }
    }

    private OutboxMessage Message(string destination, Notification body) =>
        Outbox.Message(destination, Id, body.Subject, body with { OperationId = Id }, clock.GetUtcNow());

    private bool IsOrganiser(Caller caller) => caller.IsCoordinatorOf(Plan.Organiser);

    private IReturneeGrain Returnee(string id) => GrainFactory.GetGrain<IReturneeGrain>(id);
}
