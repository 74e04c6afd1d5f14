using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Rules;
using ReturnOps.Grains.Hosting;

namespace ReturnOps.Gateway.Calendars;

/// <summary>
/// Calendar feeds (iCalendar, RFC 5545) of the caller's operations: the caller issues, replaces or revokes its feed with its
/// token; a calendar client reads the feed by its secret address, without a token (calendar clients send none).
/// </summary>
public static class CalendarApi
{
    public const string FeedsPath = "/calendars";

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var own = app.MapApiGroup("/calendar-feed", "Calendars").RequireAuthorization(Policies.CalendarSubscribers);
        own.MapGet("/", StatusAsync).WithSummary("Whether the caller has a calendar feed, and since when");
        // A PUT, not a POST: an issued secret must not be kept as a replayable idempotent answer.
        own.MapPut("/", IssueAsync).Audited("calendar.issue")
            .WithSummary("Issue the caller's calendar feed address (a new secret; an earlier address stops working)");
        own.MapDelete("/", RevokeAsync).Audited("calendar.revoke").WithSummary("Revoke the caller's calendar feed address");
        app.MapApiGroup(FeedsPath, "Calendars").MapGet("/{secret}", FeedAsync).AllowAnonymous()
            .WithSummary("A calendar feed (text/calendar), read by its secret address without a token; unknown or revoked: 404")
            .Produces<string>(StatusCodes.Status200OK, OperationsCalendar.ContentType);
        return app;
    }

    private static async Task<Ok<CalendarFeedStatus>> StatusAsync(HttpContext http, CalendarFeeds feeds, CancellationToken cancellationToken) =>
        TypedResults.Ok(await feeds.StatusAsync(http.User.IdentityKey(), cancellationToken));

    private static async Task<Ok<CalendarFeedIssued>> IssueAsync(HttpContext http, CalendarFeeds feeds, CancellationToken cancellationToken)
    {
        var (secret, issuedAt) = await feeds.IssueAsync(http.User.IdentityKey(), http.User.ToCaller(), cancellationToken);
        var request = http.Request;
        return TypedResults.Ok(new CalendarFeedIssued($"{request.Scheme}://{request.Host}{ApiConventions.BasePath}{FeedsPath}/{secret}", issuedAt));
    }

    private static async Task<NoContent> RevokeAsync(HttpContext http, CalendarFeeds feeds, CancellationToken cancellationToken)
    {
        await feeds.RevokeAsync(http.User.IdentityKey(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<ContentHttpResult> FeedAsync(string secret, HttpContext http, CalendarFeeds feeds, GatewayDatabase database,
        IGrainFactory grains, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken)
    {
        var owner = await feeds.OwnerAsync(secret, cancellationToken) ?? throw new ResourceNotFoundException();
        var now = clock.GetUtcNow();
        var entries = await CalendarEntries.ForAsync(owner, database, grains, now, cancellationToken);
        // The address is the credential: no cache on the way may keep the answer for another reader.
        http.Response.Headers.CacheControl = "private, no-store";
        var name = "ReturnOps: " + (owner.Country is { } country ? $"{owner.Role} {country}" : owner.Role);
        return TypedResults.Content(OperationsCalendar.Write(name, entries, now), OperationsCalendar.ContentType + "; charset=utf-8");
    }
}
