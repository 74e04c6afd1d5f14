using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Gateway.Auth.SignIn;
using ReturnOps.Gateway.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

public sealed class OpenApiTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    /// <summary>The routes of api.md this gateway serves; docs/api.md lists the ones it does not yet.</summary>
    private static readonly string[] s_contract =
    [
        "GET /api/v1/countries", "PUT /api/v1/countries/{code}",
        "GET /api/v1/agreements", "PUT /api/v1/agreements/{destination}",
        "POST /api/v1/returnees", "GET /api/v1/returnees", "GET /api/v1/returnees/{id}", "PATCH /api/v1/returnees/{id}",
        "DELETE /api/v1/returnees/{id}", "POST /api/v1/returnees/{id}/readmission-requests",
        "GET /api/v1/readmission-requests", "POST /api/v1/readmission-requests/{id}/reply",
        "POST /api/v1/operations", "GET /api/v1/operations", "GET /api/v1/operations/{id}", "POST /api/v1/operations/{id}/status",
        "POST /api/v1/operations/{id}/bookings", "GET /api/v1/operations/{id}/bookings", "DELETE /api/v1/operations/{id}/bookings/{bookingId}",
        "DELETE /api/v1/operations/{id}/bookings/{bookingId}/returnees/{returneeId}",
        "GET /api/v1/operations/{id}/manifest", "GET /api/v1/operations/{id}/manifest/paxlst", "POST /api/v1/operations/{id}/manifest/share", "POST /api/v1/operations/{id}/clearance", "POST /api/v1/operations/{id}/monitors",
        "POST /api/v1/operations/{id}/monitor-report", "POST /api/v1/operations/{id}/incidents", "GET /api/v1/operations/{id}/events",
        "POST /api/v1/subscriptions", "GET /api/v1/deliveries", "POST /api/v1/deliveries/{id}/replay",
        "GET /api/v1/statistics", "GET /api/v1/audit", "GET /api/v1/audit/verify",
        "GET /health/live", "GET /health/ready", "GET /metrics",
        // Added to the contract (docs/api.md).
        "POST /api/v1/operations/{id}/bookings/{bookingId}/reinstate", "POST /api/v1/readmission-requests/{id}/extension",
        "GET /api/v1/events",
        "GET /api/v1/subscriptions", "DELETE /api/v1/subscriptions/{id}", "PUT /api/v1/subscriptions/{id}/secret",
        "GET /api/v1/notifications", "GET /api/v1/readmission-requests/overdue",
        "PUT /api/v1/operations/{id}/bookings/{bookingId}/staff", "POST /api/v1/operations/{id}/no-shows", "POST /api/v1/returnees/import",
        "GET /api/v1/readmission-requests/{id}", "GET /api/v1/bookings",
        "GET /api/v1/operations/{id}/costs", "POST /api/v1/operations/{id}/costs", "PUT /api/v1/operations/{id}/costs/{lineId}",
        "DELETE /api/v1/operations/{id}/costs/{lineId}", "POST /api/v1/operations/{id}/co-financing",
        "PUT /api/v1/operations/{id}/co-financing/{lineId}", "DELETE /api/v1/operations/{id}/co-financing/{lineId}",
        "GET /api/v1/operations/{id}/costs/statement",
        "POST /api/v1/returnees/{id}/identification-requests", "GET /api/v1/identification-requests", "GET /api/v1/identification-requests/overdue",
        "GET /api/v1/identification-requests/{id}", "POST /api/v1/identification-requests/{id}/confirm", "POST /api/v1/identification-requests/{id}/refuse",
        "POST /api/v1/identification-requests/{id}/document", "POST /api/v1/identification-requests/{id}/reissue",
        // Rule 18, reintegration referrals.
        "GET /api/v1/returnees/{id}/reintegration", "PUT /api/v1/returnees/{id}/reintegration/consent",
        "POST /api/v1/returnees/{id}/reintegration/consent/withdrawal", "POST /api/v1/returnees/{id}/reintegration-referrals",
        "GET /api/v1/reintegration-referrals", "GET /api/v1/reintegration-referrals/{id}", "POST /api/v1/reintegration-referrals/{id}/steps",
        "GET /api/v1/reintegration-providers", "PUT /api/v1/reintegration-providers/{id}", "GET /api/v1/statistics/reintegration",
        // Exchange formats (issue 26): calendar feeds (RFC 5545), the European travel document for return (Regulation (EU) 2016/1953).
        "POST /api/v1/returnees/{id}/eu-travel-document",
        "GET /api/v1/calendar-feed", "PUT /api/v1/calendar-feed", "DELETE /api/v1/calendar-feed", "GET /api/v1/calendars/{secret}",
        "POST /api/v1/complaints", "GET /api/v1/complaint-tracking/{trackingCode}", "GET /api/v1/complaints", "GET /api/v1/complaints/{id}",
        "POST /api/v1/complaints/{id}/answer", "POST /api/v1/complaints/{id}/forward", "POST /api/v1/complaints/{id}/close", "DELETE /api/v1/complaints/{id}",
        // Statistics as the authorities count them (Eurostat's layout; ECA special report 17/2021).
        "GET /api/v1/statistics/returns", "GET /api/v1/statistics/travel-documents",
        // Rule 22, legal holds (issue 27).
        "GET /api/v1/returnees/{id}/legal-holds", "POST /api/v1/returnees/{id}/legal-holds", "POST /api/v1/returnees/{id}/legal-holds/{holdId}/lift",
    ];

    [Fact]
    public async Task The_document_lists_exactly_the_mapped_routes_and_they_are_the_contract()
    {
        var host = await StartAsync();
        var document = await host.GetAsync("/openapi/v1.json", null);
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in document.Json.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Name != "parameters"))
            {
                documented.Add(operation.Name.ToUpperInvariant() + " " + Normalize(path.Name));
            }
        }
        var mapped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // The document itself, its browsable reference, the admins' dashboard and the pages' sign-in (and its demo identity
            // provider) are tools beside the API, not in its contract.
            if (endpoint.RoutePattern.RawText is { } raw && (raw.StartsWith("/openapi", StringComparison.Ordinal)
                || raw.StartsWith(ApiReference.Path, StringComparison.Ordinal) || raw.StartsWith(ClusterDashboard.Path, StringComparison.Ordinal)
                || raw.StartsWith(PageSession.SignInPath, StringComparison.Ordinal) || raw == PageSession.SignOutPath
                || raw.StartsWith("/demo-idp/", StringComparison.Ordinal)))
            {
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                mapped.Add(method + " " + Normalize(endpoint.RoutePattern.RawText!));
            }
        }
        Assert.Equal(mapped, documented);
        var create = document.Json.GetProperty("paths").GetProperty("/api/v1/operations").GetProperty("post");
        Assert.Contains(create.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("required").GetBoolean());
        Assert.True(create.TryGetProperty("security", out _));
        Assert.Equal(0, document.Json.GetProperty("paths").GetProperty("/health/live").GetProperty("get").GetProperty("security").GetArrayLength());
        Assert.Equal("bearer", document.Json.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal(new SortedSet<string>(s_contract, StringComparer.Ordinal), mapped);
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
