using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Grains.Agreements;

namespace ReturnOps.Gateway.Agreements;

/// <param name="Basis">An EU readmission agreement or a practical arrangement (rule 20).</param>
/// <param name="Identification">The identification and travel-document terms in force (rule 17).</param>
public sealed record AgreementResource(string Destination, int ReplyDays, int ExtensionDays, bool SilenceMeansAcceptance, int TransferDays,
    PartnerBasis Basis, IdentificationClock Identification);

/// <summary>Body of <c>PUT /agreements/{destination}</c>; without <see cref="Identification"/> the EU agreements' terms apply.</summary>
public sealed record AgreementInput(
    [property: Range(1, IdentificationClock.MaxClockDays)] int ReplyDays,
    [property: Range(0, IdentificationClock.MaxClockDays)] int ExtensionDays,
    bool SilenceMeansAcceptance,
    [property: Range(0, IdentificationClock.MaxClockDays)] int TransferDays,
    PartnerBasis Basis = PartnerBasis.Agreement, IdentificationClock? Identification = null);

/// <summary>Readmission and identification clocks per destination (rules 12, 17 and 20): configurable data.</summary>
public static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/agreements", "Agreements");
        group.MapGet("/", ListAsync).WithSummary("List readmission agreements and practical arrangements")
            .WithDescription("Every signed-in role but a reintegration provider. Per destination: the reply time of a readmission request and its " +
                "extension, whether silence means acceptance, the transfer time after acceptance, the basis (EU agreement or practical arrangement) " +
                "and the identification and travel-document terms.");
        group.MapPut("/{destination}", PutAsync).RequireAuthorization(Policies.Admin).WithSummary("Create or update a destination's readmission and identification clocks")
            .WithDescription("Admin only. Replaces the destination's terms; without `identification`, the EU agreements' identification terms " +
                "apply. Requests already sent keep the terms they were sent under.")
            .ProducesETag();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AgreementResource>>> ListAsync(IGrainFactory grains)
    {
        var clocks = await grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).List();
        return TypedResults.Ok<IReadOnlyList<AgreementResource>>([.. clocks.Select(ToResource)]);
    }

    private static async Task<Ok<AgreementResource>> PutAsync(string destination, AgreementInput input, IGrainFactory grains, HttpResponse response)
    {
        ApiConventions.CountryCode(destination, "destination");
        var stored = await grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key)
            .Put(new ReadmissionClock(destination, input.ReplyDays, input.ExtensionDays, input.SilenceMeansAcceptance, input.TransferDays, input.Basis, input.Identification));
        var resource = ToResource(stored);
        response.Headers.ETag = ETags.FromContent(resource);
        return TypedResults.Ok(resource);
    }

    private static AgreementResource ToResource(ReadmissionClock c) =>
        new(c.Destination, c.ReplyDays, c.ExtensionDays, c.SilenceMeansAcceptance, c.TransferDays, c.Basis, c.IdentificationTerms);
}
