using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Operations;

/// <summary>Manifest, destination clearance, monitors and incidents of one operation.</summary>
public static class OversightEndpoints
{
    public static RouteGroupBuilder MapOversight(this RouteGroupBuilder operations)
    {
        operations.MapGet("/{id}/manifest", ManifestAsync).Audited("manifest.read").WithSummary("Read the manifest the caller may see");
        operations.MapPost("/{id}/manifest/share", ShareManifestAsync).RequireAuthorization(Policies.Coordinator).Audited("manifest.share")
            .WithSummary("Share the manifest with the destinations").ProducesETag().AcceptsIfMatch();
        operations.MapPost("/{id}/clearance", ClearAsync).RequireAuthorization(Policies.Partner).Audited("manifest.clearance")
            .WithSummary("Clear or refuse the manifest as a destination").ProducesETag().AcceptsIfMatch();
        operations.MapPost("/{id}/monitors", AssignMonitorAsync).RequireAuthorization(Policies.Staffing)
            .WithSummary("Assign a forced-return monitor").ProducesETag().AcceptsIfMatch();
        operations.MapPost("/{id}/monitor-report", FileReportAsync).RequireAuthorization(Policies.Monitor).WithSummary("File the monitor's report");
        operations.MapPost("/{id}/incidents", FileIncidentAsync).RequireAuthorization(Policies.Participant)
            .WithSummary("Report a serious incident or a complaint").ProducesLocation();
        return operations;
    }

    private static async Task<Ok<Manifest>> ManifestAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        return TypedResults.Ok(await grains.GetGrain<IReturnOperationGrain>(id).GetManifest(caller));
    }

    /// <summary>Rule 16: the organiser discloses the manifest to the destinations; a disclosure of personal data, so it is audited.</summary>
    private static async Task<Ok<OperationView>> ShareManifestAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var view = await operation.ShareManifest(http.User.ToCaller(), expected);
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<OperationView>> ClearAsync(string id, ClearanceInput input, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var view = await operation.Clear(http.User.ToCaller(), new ClearanceDecision(input.Cleared, [.. input.RejectedReturnees ?? []], input.Reason), expected);
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<OperationView>> AssignMonitorAsync(string id, MonitorInput input, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var view = await operation.AssignMonitor(http.User.ToCaller(), input.Monitor, expected);
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<NoContent> FileReportAsync(string id, MonitorReportInput input, HttpContext http, IGrainFactory grains)
    {
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        await grains.GetGrain<IReturnOperationGrain>(id).FileMonitorReport(caller, new MonitorReport(input.Summary, input.IssuesFound));
        return TypedResults.NoContent();
    }

    private static async Task<Created<IncidentCreated>> FileIncidentAsync(string id, IncidentInput input, HttpContext http, IGrainFactory grains)
    {
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        var incident = await grains.GetGrain<IReturnOperationGrain>(id).FileIncident(caller,
            new IncidentReport(input.Category, input.UseOfForce, input.Injuries, input.Measures, input.Outcome, input.Complaint, input.Description));
        return TypedResults.Created($"{ApiConventions.BasePath}/operations/{id}/incidents/{incident}", new IncidentCreated(incident));
    }
}
