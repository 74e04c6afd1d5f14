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
        operations.MapGet("/{id}/manifest", ManifestAsync).Audited("manifest.read").WithSummary("Read the manifest the caller may see")
            .WithDescription("The organiser's coordinator and an assigned monitor see every confirmed booking; a destination's partner too, once " +
                "the organiser shared it; another coordinator its own country's; the secretariat gets 403 (counts only), anyone else 404. Staff " +
                "document dates only to their own country and the organiser. Audited.");
        operations.MapPost("/{id}/manifest/share", ShareManifestAsync).RequireAuthorization(Policies.Coordinator).Audited("manifest.share")
            .WithSummary("Share the manifest with the destinations")
            .WithDescription("Organiser's coordinator only, from booking closed until the operation ends (409 otherwise). Each destination is told, " +
                "and its partner may then read and clear the manifest; sharing again changes nothing. Audited: a disclosure of personal data.")
            .ProducesETag().AcceptsIfMatch();
        operations.MapPost("/{id}/clearance", ClearAsync).RequireAuthorization(Policies.Partner).Audited("manifest.clearance")
            .WithSummary("Clear or refuse the manifest as a destination")
            .WithDescription("Partner of a destination only, once the organiser shared the manifest, from booking closed until departure (409 " +
                "otherwise). Clears the manifest as it stands, or rejects returnees on it with a reason (422 for an id not on it or no reason); the " +
                "organiser is told. Confirmation needs every destination's clearance of the current manifest.")
            .ProducesETag().AcceptsIfMatch();
        operations.MapPost("/{id}/monitors", AssignMonitorAsync).RequireAuthorization(Policies.Staffing)
            .WithSummary("Assign a forced-return monitor")
            .WithDescription("Secretariat or the organiser's coordinator, until the operation ends (409 after). Names the monitor by its token " +
                "subject; an assigned monitor sees the manifest and files the report. Assigning one again changes nothing; the FRO is told.")
            .ProducesETag().AcceptsIfMatch();
        operations.MapPost("/{id}/monitor-report", FileReportAsync).RequireAuthorization(Policies.Monitor).WithSummary("File the monitor's report")
            .WithDescription("An assigned monitor of the operation only (404 for any other), once it has departed (409 before). One report per " +
                "operation: a second is 409 `one-monitor-report`. It goes to the secretariat, the FRO and every participating state.");
        operations.MapPost("/{id}/incidents", FileIncidentAsync).RequireAuthorization(Policies.Participant)
            .WithSummary("Report a serious incident or a complaint")
            .WithDescription("A coordinator of a participating state, a partner of a destination or an assigned monitor (404 for anyone else). It " +
                "goes straight to the fundamental-rights officer, not through the organiser; a category and a description are needed (422).")
            .ProducesLocation();
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
