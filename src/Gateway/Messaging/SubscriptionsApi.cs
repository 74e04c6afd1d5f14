using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Rules;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Gateway.Messaging;

/// <summary>Body of <c>POST /subscriptions</c>. The secret is only ever read, never returned or logged.</summary>
public sealed record SubscriptionInput(
    [property: MaxLength(RequestLimits.MaxUrl)] string? Url,
    [property: MaxLength(SubscriptionInput.MaxSecretLength)] string? Secret,
    [property: MaxLength(SubscriptionInput.MaxEvents), ItemsMaxLength(RequestLimits.MaxName)] IReadOnlyList<string>? Events)
{
    /// <summary>Longer than any secret a key generator writes; the shortest taken is <see cref="SubscriptionService.MinSecretLength"/>.</summary>
    public const int MaxSecretLength = 256;

    /// <summary>More event types than the gateway sends.</summary>
    public const int MaxEvents = 50;

    public override string ToString() => $"SubscriptionInput {{ Url = {Url}, Events = [{string.Join(", ", Events ?? [])}] }}";
}

public sealed record SubscriptionList(IReadOnlyList<Subscription> Items);

/// <summary>Body of <c>PUT /subscriptions/{id}/secret</c>.</summary>
public sealed record SecretInput([property: MaxLength(SubscriptionInput.MaxSecretLength)] string? Secret)
{
    public override string ToString() => "SecretInput { Secret = *** }";
}

/// <summary>
/// Webhook subscriptions of member-state and partner systems (docs/messaging.md): a coordinator or partner
/// registers and lists its own country's systems. Secrets never leave the server.
/// </summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/subscriptions", "Subscriptions").RequireAuthorization(Policies.CountryActor);
        group.MapPost("/", CreateAsync).Audited("subscription.create").WithSummary("Register a webhook for the caller's country")
            .WithDescription("Coordinator or partner, for its own country. An https URL without credentials to a public address, a signing secret " +
                "of at least 32 characters and at least one event pattern (a type, a prefix such as `booking.*`, or `*`); otherwise 422. The secret " +
                "is never returned or logged.");
        group.MapGet("/", ListAsync).WithSummary("List the caller's country's webhooks")
            .WithDescription("Coordinator or partner: its own country's subscriptions, with their URLs and event patterns, never their secrets.");
        group.MapDelete("/{id}", DeleteAsync).Audited("subscription.delete").WithSummary("Remove a webhook")
            .WithDescription("Coordinator or partner of the subscription's country (404 for any other). Messages stop going to it from the " +
                "dispatchers' next claim; with no subscription left, the country's messages become unrouted, to be replayed later.");
        group.MapPut("/{id}/secret", RotateSecretAsync).Audited("subscription.rotate-secret").WithSummary("Replace a webhook's signing secret")
            .WithDescription("Coordinator or partner of the subscription's country (404 for any other). The new secret (at least 32 characters, 422 " +
                "otherwise) signs deliveries from the dispatchers' next claim on, with no overlap: accept both secrets for a few minutes.");
        return app;
    }

    private static async Task<Created<Subscription>> CreateAsync(SubscriptionInput input, HttpContext http, SubscriptionService subscriptions,
        CancellationToken cancellationToken)
    {
        var country = http.User.ToCaller().CountryOf();
        var created = await subscriptions.CreateAsync(country, country,
            new CreateSubscription(input.Url ?? "", input.Secret ?? "", input.Events ?? []), cancellationToken);
        return TypedResults.Created((string?)null, created);
    }

    private static async Task<NoContent> DeleteAsync(string id, HttpContext http, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.DeleteAsync(http.User.ToCaller().CountryOf(), id, cancellationToken)
            ? TypedResults.NoContent()
            : throw new ResourceNotFoundException($"Subscription {id} not found.");

    private static async Task<Ok<Subscription>> RotateSecretAsync(string id, SecretInput input, HttpContext http, SubscriptionService subscriptions,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.RotateSecretAsync(http.User.ToCaller().CountryOf(), id, input.Secret, cancellationToken)
            ?? throw new ResourceNotFoundException($"Subscription {id} not found."));

    private static async Task<Ok<SubscriptionList>> ListAsync(HttpContext http, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SubscriptionList(await subscriptions.ListAsync(http.User.ToCaller().CountryOf(), cancellationToken)));
}
