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
        own.MapGet("/", StatusAsync).WithSummary("Whether the caller has a calendar feed, and since when")
            .WithDescription("Coordinators, partners, monitors and the secretariat. The secret address itself is shown only once, when it is issued.");
        // A PUT, not a POST: an issued secret must not be kept as a replayable idempotent answer.
        own.MapPut("/", IssueAsync).Audited("calendar.issue")
            .WithSummary("Issue the caller's calendar feed address (a new secret; an earlier address stops working)")
            .WithDescription("Coordinators, partners, monitors and the secretariat. The answer's address carries the secret and is shown only this " +
                "once (a PUT, so no stored answer replays it). The feed holds the booking deadlines, departures and returns of the caller's " +
                "operations and the reply dates of its country's readmission requests.");
        own.MapDelete("/", RevokeAsync).Audited("calendar.revoke").WithSummary("Revoke the caller's calendar feed address")
            .WithDescription("Coordinators, partners, monitors and the secretariat. The address answers 404 from now on; issue a new one with PUT.");
        app.MapApiGroup(FeedsPath, "Calendars").MapGet("/{secret}", FeedAsync).AllowAnonymous()
            .WithSummary("A calendar feed (text/calendar), read by its secret address without a token; unknown or revoked: 404")
            .WithDescription("For calendar clients, which send no token: the address stands for the caller who issued it. The operations are those " +
                "that caller may see, checked again on every read; answered with `Cache-Control: private, no-store`.")
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
