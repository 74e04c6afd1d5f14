using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.TravelDocuments;

/// <summary>
/// The European travel document for return (Regulation (EU) 2016/1953) of a case, for the owning state's coordinator: its data
/// and machine-readable zone, filled from the case, its confirmed identification request and the journey it is booked on. A POST
/// because the names travel in the body, never in an address; nothing is stored. Audited: the answer is personal data.
/// </summary>
public static class EuTravelDocumentApi
{
    public static IEndpointRouteBuilder MapEuTravelDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/returnees", "Returnees").MapPost("/{id}/eu-travel-document", ProduceAsync)
            .RequireAuthorization(Policies.Coordinator).Audited("eu-travel-document.produce")
            .WithSummary("Produce the data and machine-readable zone of the European travel document for return (printing stays with the member state)")
            .WithDescription("Coordinator of the owning country only. Filled from the case, the identification request named in the body and the " +
                "operation the returnee is booked on; a POST so that names travel in the body, never in an address, and nothing is stored. 422 " +
                "unless the destination accepts the document and has confirmed identity and nationality, and the document is valid on the day of the journey.");
        return app;
    }

    private static async Task<Ok<EuTravelDocument>> ProduceAsync(string id, EuTravelDocumentInput input, HttpContext http, IGrainFactory grains,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var owner = http.User.ToCaller().CountryOf();
        var returnee = ApiConventions.IsId(id) ? await grains.GetGrain<IReturneeGrain>(id).Get() : null;
        if (returnee is not { Case: { } stored } || returnee.Owner != owner)
        {
            throw new ResourceNotFoundException();
        }
        var request = ApiConventions.IsId(input.IdentificationRequest)
            ? await grains.GetGrain<IIdentificationRequestGrain>(input.IdentificationRequest).Get()
            : null;
        if (request is null || request.ReturneeId != id)
        {
            throw new DomainRuleException(RuleCode.Validation, "identificationRequest is not an identification request of this case.");
        }
        var agreement = await grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).Get(request.Destination);
        var issuer = await grains.GetGrain<ICountryGrain>(owner).Get();
        var operation = returnee.Booking is { } booking ? await grains.GetGrain<IReturnOperationGrain>(booking.OperationId).GetView() : null;
        var sources = new EuTravelDocumentSources(returnee, stored, request, agreement, issuer?.Authority, operation);
        return TypedResults.Ok(EuTravelDocumentForm.Fill(sources, input, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
    }
}
