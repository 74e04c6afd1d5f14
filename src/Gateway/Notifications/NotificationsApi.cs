using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.Gateway.Notifications;

/// <summary>
/// <c>GET /notifications</c>: the caller's own feed, pulled, newest first. Coordinators and partners read their
/// country's, the secretariat and the fundamental-rights officer their role's. Audited: incident and complaint
/// notices and monitor reports carry free text that may name a person.
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/notifications", "Notifications").MapGet("/", ListAsync)
            .RequireAuthorization(Policies.FeedReaders).Audited("notification.list").WithSummary("Read the caller's notifications, newest first")
            .WithDescription("Coordinators and partners read their country's feed, the secretariat and the FRO their role's, a provider its own; " +
                "page with `after`. Audited: incident notices and monitor reports carry free text that may name a person.");
        return app;
    }

    private static async Task<Ok<NotificationPage>> ListAsync(HttpContext http, NotificationFeed feed, CancellationToken cancellationToken,
        string? after = null, [Range(1, NotificationFeed.MaxLimit)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, NotificationFeed.DefaultLimit, NotificationFeed.MaxLimit);
        var cursor = PageCursor.Decode(after, NotificationFeed.CursorList, 1);
        var destination = NotificationFeed.DestinationOf(http.User.ToCaller());
        return TypedResults.Ok(await feed.ReadAsync(destination, cursor, size, cancellationToken));
    }
}
