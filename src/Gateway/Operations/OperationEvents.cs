using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Events;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Operations;

/// <summary>
/// <c>GET /operations/{id}/events</c>: server-sent events, one <c>operation</c> event with the view the caller
/// may see now and one after every change. Event ids are operation versions, so a client sees each state once.
/// The stream ends when the caller's token expires (the client reconnects with a fresh one); see <see cref="StreamLeases"/>.
/// </summary>
public static class OperationEvents
{
    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder operations)
    {
        operations.MapGet("/{id}/events", OpenAsync).WithSummary("Stream the operation's changes (server-sent events)")
            .WithDescription("Whoever may see the operation (404 otherwise). An `operation` event with the operation as the caller sees it now, " +
                "then one after every change; event ids are operation versions. The stream ends when the token expires or the operation leaves the " +
                "caller's sight; a caller holds a limited number of open streams (429 beyond).")
            .ProducesEventStream();
        return operations;
    }

    private static async Task<IResult> OpenAsync(string id, HttpContext http, IGrainFactory grains, OperationChanges changes, StreamLeases leases)
    {
        var caller = http.User.ToCaller();
        // Ends at the token's expiry: the caller's right to see the operation is only checked against a live token.
        var lease = leases.Open(http.User, http.RequestAborted);
        http.Response.RegisterForDispose(lease);
        // Watch before the first read: a change between the two is then seen, not lost.
        var subscription = changes.Watch(id);
        http.Response.RegisterForDispose(subscription);
        var first = await OperationAccess.VisibleAsync(grains, id, caller);
        return TypedResults.ServerSentEvents(StreamAsync(first, caller, grains.GetGrain<IReturnOperationGrain>(id), subscription, lease.Token));
    }

    private static async IAsyncEnumerable<SseItem<OperationView>> StreamAsync(
        OperationView first, Caller caller, IReturnOperationGrain operation, OperationChanges.Subscription subscription,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var version = first.Version;
        yield return Item(first);
        while (await WaitAsync(subscription, cancellationToken))
        {
            var view = await ReadAtLeastAsync(operation, subscription.NotifiedVersion, cancellationToken);
            if (view is null || !OperationAccess.CanSee(caller, view))
            {
                yield break;
            }
            if (view.Version > version)
            {
                version = view.Version;
                yield return Item(view);
            }
        }
    }

    /// <summary>
    /// A change announced by the change feed travels apart from the grain's answers (a NOTIFY on its own connection, no
    /// order between them): read again, briefly, until the announced version shows.
    /// </summary>
    private static async Task<OperationView?> ReadAtLeastAsync(IReturnOperationGrain operation, long version, CancellationToken cancellationToken)
    {
        var view = await operation.GetView();
        for (var attempt = 0; view is not null && view.Version < version && attempt < 50; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
            view = await operation.GetView();
        }
        return view;
    }

    private static async Task<bool> WaitAsync(OperationChanges.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            return await subscription.Changes.WaitToReadAsync(cancellationToken) && subscription.Changes.TryRead(out _);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static SseItem<OperationView> Item(OperationView view) =>
        new(view, "operation") { EventId = view.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
