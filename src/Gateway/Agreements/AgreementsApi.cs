using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Agreements;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Agreements;

public sealed record AgreementResource(string Destination, int ReplyDays, int ExtensionDays, bool SilenceMeansAcceptance, int TransferDays);

/// <summary>Body of <c>PUT /agreements/{destination}</c>.</summary>
public sealed record AgreementInput(int ReplyDays, int ExtensionDays, bool SilenceMeansAcceptance, int TransferDays);

/// <summary>Readmission clocks per destination (rule 12): configurable data.</summary>
public static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/agreements", "Agreements");
        group.MapGet("/", ListAsync).WithSummary("List readmission agreements");
        group.MapPut("/{destination}", PutAsync).RequireAuthorization(Policies.Admin).WithSummary("Create or update a destination's readmission clock").ProducesETag();
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
            .Put(new ReadmissionClock(destination, input.ReplyDays, input.ExtensionDays, input.SilenceMeansAcceptance, input.TransferDays));
        var resource = ToResource(stored);
        response.Headers.ETag = ETags.FromContent(resource);
        return TypedResults.Ok(resource);
    }

    private static AgreementResource ToResource(ReadmissionClock c) => new(c.Destination, c.ReplyDays, c.ExtensionDays, c.SilenceMeansAcceptance, c.TransferDays);
}
