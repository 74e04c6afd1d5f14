using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;

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
            .RequireAuthorization(Policies.FeedReaders).Audited("notification.list").WithSummary("Read the caller's notifications, newest first");
        return app;
    }

    private static async Task<Ok<NotificationPage>> ListAsync(HttpContext http, NotificationFeed feed, CancellationToken cancellationToken,
        string? after = null, int? limit = null)
    {
        var size = limit ?? NotificationFeed.DefaultLimit;
        if (size is < 1 or > NotificationFeed.MaxLimit)
        {
            throw RequestProblemException.BadRequest(string.Create(CultureInfo.InvariantCulture, $"limit must be between 1 and {NotificationFeed.MaxLimit}."));
        }
        if (!NotificationFeed.TryParseCursor(after, out var before))
        {
            throw RequestProblemException.BadRequest("after must be the nextAfter of an earlier page.");
        }
        var destination = NotificationFeed.DestinationOf(http.User.ToCaller());
        return TypedResults.Ok(await feed.ReadAsync(destination, before, size, cancellationToken));
    }
}
