using Orleans.Concurrency;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Load and commit. The state is read on activation (<see cref="OperationStore"/>); every change is committed through
/// <see cref="DecisionCommits{TEffects}"/>: one write stores the state and the effects of the decisions it carries. Every
/// call that is not a booking decision runs exclusively (the call filter).
/// </summary>
public sealed partial class ReturnOperationGrain : IIncomingGrainCallFilter
{
    private ReturnOperationState _state = new();

    private OperationStore? _store;
    private OperationStore Store => _store ??= new(ServiceProvider.GetRequiredService<IStorageProvider>(), GrainStateStorage.KeyOf(this.GetGrainId()));

    /// <summary>What an exclusive call sends with its write (a booking decision carries its own).</summary>
    private TurnEffects _staged = new();

    private DecisionCommits<TurnEffects>? _commits;
    private DecisionCommits<TurnEffects> Commits => _commits ??= new(Write, reason => GrainContext.Deactivate(new DeactivationReason(
        DeactivationReasonCode.ApplicationError, $"A write was not stored; the next call reads storage. {reason.GetType().Name}: {reason.Message}")));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = await Store.LoadAsync(cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: false))
        {
            await context.Invoke();
            return;
        }
        try
        {
            await Commits.Exclusively(context.Invoke);
        }
        finally
        {
            // Every call that stages writes (Save, Persist): what is left was staged by a call that failed, and is never written.
            _staged = new();
        }
    }

    /// <summary>An accepted change outside a booking: one more revision, then the write.</summary>
    private Task Save()
    {
        S.Revision++;
        return Persist();
    }

    /// <summary>Commits the exclusive call's change with what it staged.</summary>
    private Task Persist()
    {
        var effects = _staged;
        _staged = new();
        return Commits.Commit(effects);
    }

    /// <summary>One write: the state with the effects of the decisions it carries, in one transaction.</summary>
    private Task Write(IReadOnlyList<TurnEffects> decisions)
    {
        // Rule 19: seats held after BookingClosed are counted into the bookings before they are compared with what is stored.
        RecordCostSeats();
        var effects = new TurnEffects();
        foreach (var decision in decisions)
        {
            effects.AddRange(decision);
        }
        return Store.WriteAsync(S, Bookings.Holds(), S.Plan is null ? null : Context(), effects, clock.GetUtcNow());
    }
}
