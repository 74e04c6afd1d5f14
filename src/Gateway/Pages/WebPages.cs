using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Events;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.DemoData;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Pages;

/// <summary>
/// The web pages for the secretariat, coordinators and partners: static files from wwwroot (no CDN, the
/// machines have no internet) that use the same API and tokens as member-state systems, plus what only
/// the pages need: one stream of every operation change for the board, and demo identities in Development.
/// </summary>
public static class WebPages
{
    public static WebApplication UseWebPages(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app, IWebHostEnvironment environment)
    {
        // Operation ids only, no data: the board re-reads what its caller may see. Oversight roles only, so
        // that no one learns of operations they cannot see.
        app.MapGet(ApiConventions.BasePath + "/events", Stream).WithTags("Operations")
            .RequireAuthorization(p => p.RequireRole(Roles.Secretariat, Roles.Fro, Roles.Admin))
            .WithSummary("Stream the ids of changed operations (server-sent events, for the board)").ProducesEventStream();
        if (environment.IsDevelopment())
        {
            app.MapGet("/dev/identities", DemoIdentities).AllowAnonymous().ExcludeFromDescription();
        }
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

    /// <summary>One-click sign-in for a demo: one identity per role and per booking or destination country of the demo data.</summary>
    private static IEnumerable<DemoIdentity> DemoIdentities(TokenIssuer issuer)
    {
        DemoIdentity Identity(string label, string role, string? country) =>
            new(label, role, country, issuer.Issue(role == Roles.Monitor ? DemoScenario.Monitor : $"demo-{role}{(country is null ? "" : "-" + country.ToLowerInvariant())}", role, country));
        yield return Identity("JCP secretariat", Roles.Secretariat, null);
        yield return Identity("Fundamental-rights officer", Roles.Fro, null);
        yield return Identity("Forced-return monitor", Roles.Monitor, null);
        yield return Identity("Administrator", Roles.Admin, null);
        foreach (var country in new[] { "AT", "BE", "CH", "CZ", "DE", "FR", "HR", "HU", "PL", "SI", "SK" })
        {
            yield return Identity($"Coordinator {country}", Roles.Coordinator, country);
        }
        foreach (var country in new[] { "NG", "PK", "GE" })
        {
            yield return Identity($"Partner {country}", Roles.Partner, country);
        }
        foreach (var provider in DemoProviders.All)
        {
            yield return new DemoIdentity($"Reintegration provider {provider.Country}: {provider.Name}", Roles.Provider, provider.Country,
                issuer.Issue($"demo-provider-{provider.Id}", Roles.Provider, null, provider: provider.Id));
        }
    }

    private sealed record DemoIdentity(string Label, string Role, string? Country, string Token);
}
