using Orleans.Concurrency;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Hosting;

/// <summary>
/// Ends every call a domain grain receives. After a successful call, effects the turn staged without a state write
/// are written on their own (one transaction). After a failed call, they are discarded, and unless the grain refused
/// the request before changing anything (<see cref="RefusalException"/>), the activation is dropped: a turn that threw
/// half-way may have changed memory it never stored, and the next call must read storage instead.
/// A call that interleaves (<c>[AlwaysInterleave]</c>, the operation's bookings) is left alone: it commits its effects
/// explicitly through <see cref="DecisionCommits{TEffects}"/>, and that grain drops its activation itself.
/// </summary>
internal sealed class TurnFilter(StagedEffects staged, IStorageProvider storage) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not DomainGrain || context.InterfaceMethod.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: false))
        {
            await context.Invoke();
            return;
        }
        var grain = context.TargetId;
        try
        {
            await context.Invoke();
            if (staged.Take(grain) is { IsEmpty: false } effects)
            {
                await storage.GrainStorage.WriteEffectsAsync(effects, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            staged.Discard(grain);
            if (ex is not RefusalException)
            {
                // The reason carries text, not the exception: a reason with an exception makes Orleans fail every call
                // queued behind this one with it, instead of forwarding them to a fresh activation.
                context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError,
                    $"A call failed after it may have changed the grain's memory; the next call reads storage. {ex.GetType().Name}: {ex.Message}"));
            }
            throw;
        }
    }
}
