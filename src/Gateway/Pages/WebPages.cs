using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Events;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Pages;

/// <summary>
/// The web pages for the secretariat, coordinators and partners: static files from wwwroot (no CDN, the
/// machines have no internet) that use the same API as member-state systems, signed in with a session cookie
/// (<see cref="Auth.SignIn.PageSession"/>), plus what only the pages need: one stream of every operation change for the board.
/// </summary>
public static class WebPages
{
    public static WebApplication UseWebPages(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app)
    {
        // Operation ids only, no data: the board re-reads what its caller may see. Oversight roles only, so
        // that no one learns of operations they cannot see.
        app.MapGet(ApiConventions.BasePath + "/events", Stream).WithTags("Operations")
            .RequireAuthorization(p => p.RequireRole(Roles.Secretariat, Roles.Fro, Roles.Admin))
            .WithSummary("Stream the ids of changed operations (server-sent events, for the board)")
            .WithDescription("Secretariat, FRO and admin only. A `ready` event on connect, then one `operation-changed` event per change carrying " +
                "only the operation id: read the operation again to see it. The stream ends when the token expires; a caller holds a limited number " +
                "of open streams (429 beyond).")
            .ProducesEventStream();
        return app;
    }

    private static IResult Stream(OperationChanges changes, StreamLeases leases, HttpContext http)
    {
        var lease = leases.Open(http.User, http.RequestAborted);
        http.Response.RegisterForDispose(lease);
        var subscription = changes.WatchAll();
        http.Response.RegisterForDispose(subscription);
        return TypedResults.ServerSentEvents(Changes(subscription, lease.Token));
    }

    private static async IAsyncEnumerable<SseItem<string>> Changes(OperationChanges.BoardSubscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<string>("ready", "ready");
        while (true)
        {
            string? operationId;
            try
            {
                operationId = await subscription.Changes.ReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            yield return new SseItem<string>(operationId, "operation-changed");
        }
    }
}
