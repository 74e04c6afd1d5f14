using ReturnOps.Gateway.Agreements;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Calendars;
using ReturnOps.Gateway.Costs;
using ReturnOps.Gateway.Countries;
using ReturnOps.Gateway.Identification;
using ReturnOps.Gateway.Messaging;
using ReturnOps.Gateway.Notifications;
using ReturnOps.Gateway.Operations;
using ReturnOps.Gateway.Readmission;
using ReturnOps.Gateway.Reintegration;
using ReturnOps.Gateway.Returnees;
using ReturnOps.Gateway.Statistics;
using ReturnOps.Gateway.TravelDocuments;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Every resource of api.md under <c>/api/v1</c>.</summary>
public static class GatewayApi
{
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app) => app
        .MapCountriesApi()
        .MapAgreementsApi()
        .MapReturneesApi()
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
        .MapCalendarApi();
}
