using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Returnees;

/// <summary>
/// Legal holds on a case (rule 22): an interim measure stops the person's removal. The owning state's coordinators and its
/// courts (the <c>court</c> role its identity provider issues, for its country only) and the fundamental-rights officer place,
/// read and lift them; for anyone else the case does not exist (404), other roles may not ask (403). Every call is audited.
/// </summary>
public static class LegalHoldsApi
{
    public const string IdPrefix = "lh-";

    public static IEndpointRouteBuilder MapLegalHoldsApi(this IEndpointRouteBuilder app)
    {
        var holds = app.MapApiGroup("/returnees/{id}/legal-holds", "Legal holds").RequireAuthorization(Policies.LegalHolds);
        holds.MapGet("/", ListAsync).Audited("legal-hold.list").WithSummary("List a case's legal holds, lifted ones too")
            .WithDescription("The owning state's coordinators and courts, or the fundamental-rights officer; 404 for anyone else. Each hold with its " +
                "source, the order's reference and dates, who placed it, and who lifted it and why. Audited.");
        holds.MapPost("/", PlaceAsync).Audited("legal-hold.place").WithSummary("Place a legal hold (interim measure) on a case")
            .WithDescription("The owning state's coordinators and courts, or the fundamental-rights officer; 404 for anyone else. A hold in force " +
                "suspends the person's seat at once (the organiser and the owning state are told, naming only the rule `legal-hold`), and refuses " +
                "booking, reinstatement and confirmation for the person (422 `legal-hold`) until lifted; no override passes it. A destination sees " +
                "only that the seat is free. 422 `validation` for a reference missing or longer than 200 characters, an order dated in the future, " +
                "or an end before the order. Audited.")
            .ProducesLocation();
        holds.MapPost("/{holdId}/lift", LiftAsync).Audited("legal-hold.lift").WithSummary("Lift a legal hold, saying why")
            .WithDescription("The owning state's coordinators and courts, or the fundamental-rights officer; 404 for anyone else or an unknown hold. " +
                "The hold stays on the case with who lifted it, when and why; the person can then be booked or reinstated, judged anew. 409 " +
                "`invalid-transition` when already lifted, 422 `validation` without a reason. Audited.");
        return app;
    }

    private static async Task<Ok<LegalHoldList>> ListAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var holds = await grains.GetGrain<IReturneeGrain>(Known(id)).LegalHoldsOf(http.User.ToCaller());
        return TypedResults.Ok(new LegalHoldList([.. holds.Select(h => LegalHoldResource.From(id, h))]));
    }

    private static async Task<Created<LegalHoldResource>> PlaceAsync(string id, LegalHoldInput input, HttpContext http, IGrainFactory grains,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var holdId = ApiConventions.NewId(IdPrefix, clock);
        var placed = await grains.PlaceLegalHoldAsync(Known(id), http.User.ToCaller(), holdId, input.ToMeasure());
        return TypedResults.Created($"{ApiConventions.BasePath}/returnees/{id}/legal-holds/{placed.Hold.Id}", LegalHoldResource.From(id, placed.Hold));
    }

    private static async Task<Ok<LegalHoldResource>> LiftAsync(string id, string holdId, LegalHoldLiftInput input, HttpContext http, IGrainFactory grains)
    {
        if (!ApiConventions.IsId(holdId))
        {
            throw new ResourceNotFoundException();
        }
        var hold = await grains.GetGrain<IReturneeGrain>(Known(id)).LiftLegalHold(http.User.ToCaller(), holdId, input.Reason);
        return TypedResults.Ok(LegalHoldResource.From(id, hold));
    }

    /// <summary>An id that cannot exist is 404 without touching a grain; the grain decides who sees the rest.</summary>
    private static string Known(string id) => ApiConventions.IsId(id) ? id : throw new ResourceNotFoundException();
}

/// <summary>Body of <c>POST /returnees/{id}/legal-holds</c>: the interim measure as ordered.</summary>
/// <param name="Until">The last day the measure applies, if the order names one.</param>
public sealed record LegalHoldInput(
    InterimMeasureSource Source,
    [property: MaxLength(LegalHolds.MaxText)] string Reference,
    DateOnly OrderedOn,
    DateOnly? Until = null)
{
    public InterimMeasure ToMeasure() => new(Source, Reference, OrderedOn, Until);
}

/// <summary>Body of <c>POST /returnees/{id}/legal-holds/{holdId}/lift</c>.</summary>
public sealed record LegalHoldLiftInput([property: MaxLength(LegalHolds.MaxText)] string Reason);

/// <summary>A legal hold as those who may place one see it.</summary>
public sealed record LegalHoldResource(
    string Id,
    string ReturneeId,
    InterimMeasureSource Source,
    string Reference,
    DateOnly OrderedOn,
    DateOnly? Until,
    LegalHoldActor PlacedBy,
    DateTimeOffset PlacedAt,
    LegalHoldLifting? Lifted)
{
    public static LegalHoldResource From(string returneeId, LegalHold h) =>
        new(h.Id, returneeId, h.Measure.Source, h.Measure.Reference, h.Measure.OrderedOn, h.Measure.Until, h.PlacedBy, h.PlacedAt, h.Lifted);
}

public sealed record LegalHoldList(IReadOnlyList<LegalHoldResource> Items);
