using Orleans.Runtime.Messaging;
using ReturnOps.Gateway.Idempotency;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// Hears when one of this gateway's connections to a silo closes (a silo killed, stopped or cut off). Orleans' client does
/// not fail the calls it sent through that connection: they wait for the response timeout, which made a booking caught by
/// a silo's death wait 6-12 s (docs/reliability.md). <see cref="Lost"/> is cancelled at each closed connection, so that
/// calls that may be waiting for an answer that will never come can be given up at once (<see cref="RetriableCallsOnSiloLoss"/>).
/// </summary>
public sealed class SiloConnectionWatch : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled when a silo connection that was open at the time of reading closes.</summary>
    public CancellationToken Lost => Volatile.Read(ref _current).Token;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            // Calls from now on go through the connections left; those sent before may have gone through the closed one.
            // The old source is not disposed: requests may still register on its (cancelled) token.
            Interlocked.Exchange(ref _current, new CancellationTokenSource()).Cancel();
        }
    }

    public void NotifyClusterConnectionLost()
    {
        // NotifyGatewayCountChanged follows with the lower count.
    }
}

/// <summary>
/// Gives up a grain call when a silo connection closes while it is in flight, but only where a retry is safe: a request
/// that changes nothing (GET, HEAD) or whose endpoint the grain keeps idempotent by key (<see cref="IdempotentInGrainAttribute"/>:
/// bookings). It then fails as a lost connection, which the gateway answers 503 with Retry-After 1 s, and the client's
/// retry reaches the grain wherever the cluster has placed it (its first answer, if the abandoned call got through). Other
/// requests keep waiting for their answer or the response timeout: acting twice is worse than waiting.
/// </summary>
internal sealed class RetriableCallsOnSiloLoss(SiloConnectionWatch watch, IHttpContextAccessor http) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (http.HttpContext is not { } request || !Retriable(request))
        {
            await context.Invoke();
            return;
        }
        var lost = watch.Lost;
        var call = context.Invoke();
        try
        {
            await call.WaitAsync(lost);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !call.IsCompleted)
        {
            // The abandoned call ends on its own (an answer, or the response timeout); nobody waits for it.
            _ = call.ContinueWith(static c => c.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ConnectionFailedException("A connection to a silo closed while this call was in flight; retry the request.");
        }
    }

    private static bool Retriable(HttpContext request) =>
        HttpMethods.IsGet(request.Request.Method) || HttpMethods.IsHead(request.Request.Method)
        || request.GetEndpoint()?.Metadata.GetMetadata<IdempotentInGrainAttribute>() is not null;
}
