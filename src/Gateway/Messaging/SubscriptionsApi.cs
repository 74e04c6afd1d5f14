using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Gateway.Messaging;

/// <summary>Body of <c>POST /subscriptions</c>. The secret is only ever read, never returned or logged.</summary>
public sealed record SubscriptionInput(string? Url, string? Secret, IReadOnlyList<string>? Events)
{
    public override string ToString() => $"SubscriptionInput {{ Url = {Url}, Events = [{string.Join(", ", Events ?? [])}] }}";
}

public sealed record SubscriptionList(IReadOnlyList<Subscription> Items);

/// <summary>
/// Webhook subscriptions of member-state and partner systems (docs/messaging.md): a coordinator or partner
/// registers and lists its own country's systems. Secrets never leave the server.
/// </summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/subscriptions", "Subscriptions").RequireAuthorization(Policies.CountryActor);
        group.MapPost("/", CreateAsync).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync);
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

    private static async Task<Ok<SubscriptionList>> ListAsync(HttpContext http, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SubscriptionList(await subscriptions.ListAsync(http.User.ToCaller().CountryOf(), cancellationToken)));
}
