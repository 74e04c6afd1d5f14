using System.Reflection;
using Orleans.Concurrency;
using ReturnOps.Grains.Operations;

namespace ReturnOps.Gateway.Events;

/// <summary>
/// Signals <see cref="OperationChanges"/> after every successful call this process makes to an operation that may
/// have changed it (a method of <see cref="IReturnOperationGrain"/> not marked <see cref="ReadOnlyAttribute"/>).
/// Registered on the co-hosted silo or on the cluster client, so it sees the gateway's calls and, embedded, the
/// silo's own (the outbox dispatcher's deliveries to operations).
/// </summary>
public sealed class OperationChangeFilter(OperationChanges changes) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        await context.Invoke();
        if (context.InterfaceMethod is { } method && method.DeclaringType == typeof(IReturnOperationGrain) && !IsReadOnly(method))
        {
            changes.Signal(context.TargetId.Key.ToString(), 0);
        }
    }

    private static bool IsReadOnly(MethodInfo method) => method.IsDefined(typeof(ReadOnlyAttribute), inherit: false);
}
