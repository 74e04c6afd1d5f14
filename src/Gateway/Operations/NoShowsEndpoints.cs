using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Operations;

/// <summary>No-shows after departure. A returnee id is personal data of its country: the call is audited.</summary>
public static class NoShowsEndpoints
{
    public static RouteGroupBuilder MapNoShows(this RouteGroupBuilder operations)
    {
        operations.MapPost("/{id}/no-shows", RecordAsync).RequireAuthorization(Policies.Coordinator).Audited("noshow.record")
            .WithSummary("Record a returnee who did not travel")
            .WithDescription("The organiser's coordinator or the coordinator of the returnee's country, after departure and until retention erases " +
                "the manifest (409 otherwise). Takes the returnee off the manifest, the booking's seats stay counted; the same returnee and reason " +
                "again answers as before, another reason is 409. The owning state learns which returnee; the organiser and the secretariat get counts only.")
            .AcceptsIfMatch();
        return operations;
    }

    /// <summary>Added to the contract: 201 with the no-show, without Location (there is no single no-show route).</summary>
    private static async Task<Created<NoShowView>> RecordAsync(string id, NoShowInput input, HttpContext http, IGrainFactory grains)
    {
        if (!ApiConventions.IsId(input.ReturneeId))
        {
            throw new DomainRuleException(RuleCode.Validation, "returneeId is not a returnee id.");
        }
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var noShow = await operation.RecordNoShow(http.User.ToCaller(), input.ReturneeId, input.Reason, expected);
        return TypedResults.Created((string?)null, noShow);
    }
}
