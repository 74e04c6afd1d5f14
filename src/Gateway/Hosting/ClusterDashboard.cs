using Orleans.Dashboard;
using ReturnOps.Gateway.Auth;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// Orleans' dashboard (silos, grain activations, call rates of the running cluster) at <c>/dashboard/</c>, for the
/// <c>admin</c> role only: it names grains and their keys. Silos and cluster clients collect for it (SiloHosting).
/// </summary>
public static class ClusterDashboard
{
    public const string Path = "/dashboard";

    public static IEndpointRouteBuilder MapClusterDashboard(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<ReturnOps.Silo.Hosting.SiloOptions>().Dashboard)
        {
            // Switched off (Silo:Dashboard): nothing collects for it, so nothing is served.
            return app;
        }
        // A tool beside the API, not part of its contract: left out of the OpenAPI document.
        app.MapOrleansDashboard(routePrefix: Path).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
        return app;
    }
}
