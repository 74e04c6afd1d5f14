using ReturnOps.Gateway.Agreements;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Calendars;
using ReturnOps.Gateway.Complaints;
using ReturnOps.Gateway.Costs;
using ReturnOps.Gateway.Countries;
using ReturnOps.Gateway.Identification;
using ReturnOps.Gateway.Messaging;
using ReturnOps.Gateway.Notifications;
using ReturnOps.Gateway.Operations;
using ReturnOps.Gateway.PassengerLists;
using ReturnOps.Gateway.Readmission;
using ReturnOps.Gateway.Reintegration;
using ReturnOps.Gateway.Returnees;
using ReturnOps.Gateway.Statistics;
using ReturnOps.Gateway.TravelDocuments;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Every resource of api.md under <c>/api/v1</c>.</summary>
public static class GatewayApi
{
    /// <summary>Every resource, each endpoint refusing input beyond the limits its document declares (<see cref="RequestLimits"/>).</summary>
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("");
        api.AddEndpointFilterFactory(RequestLimits.Filter);
        Map(api);
        return app;
    }

    private static void Map(IEndpointRouteBuilder app) => app
        .MapCountriesApi()
        .MapAgreementsApi()
        .MapReturneesApi()
        .MapLegalHoldsApi()
        .MapReadmissionApi()
        .MapIdentificationApi()
        .MapEuTravelDocumentApi()
        .MapConsentApi()
        .MapReintegrationApi()
        .MapOperationsApi()
        .MapStateBookingsApi()
        .MapCostsApi()
        .MapStatisticsApi()
        .MapReintegrationStatisticsApi()
        .MapReturnStatisticsApi()
        .MapNotificationsApi()
        .MapSubscriptionsApi()
        .MapDeliveriesApi()
        .MapAuditApi()
        .MapCalendarApi()
        .MapPassengerListApi()
        .MapComplaintsApi();
}
