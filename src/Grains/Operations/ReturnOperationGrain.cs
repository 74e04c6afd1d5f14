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
public sealed partial class ReturnOperationGrain([FromKeyedServices(DomainClock.Key)] TimeProvider clock, GrainsOptions options)
    : DomainGrain, IReturnOperationGrain, IRemindable
{
    private ReturnOperationState S => _state;
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

    private EligibilityContext Context() => new(Departure, Plan.Destinations, options.FitToTravelWindowDays);

    /// <summary>Stages an exclusive call's messages for its write (a booking's travel with its decision).</summary>
    private void Send(IEnumerable<Notice> notices) => Stage(_staged, notices);

    /// <summary>The notices as outbox messages, into <paramref name="effects"/>.</summary>
    private void Stage(TurnEffects effects, IEnumerable<Notice> notices)
    {
        foreach (var notice in notices)
        {
            effects.Add(notice.ToMessage(Id, clock.GetUtcNow()));
        }
    }

    private bool IsOrganiser(Caller caller) => caller.IsCoordinatorOf(Plan.Organiser);

    private OperationReturnees Returnees => new(GrainFactory, Id);
}
