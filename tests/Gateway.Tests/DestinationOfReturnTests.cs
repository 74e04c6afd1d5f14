using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Rule 21 over HTTP: a returnee is booked only on an operation to the nationality or to a country that accepted the readmission.</summary>
public sealed class DestinationOfReturnTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static async Task<string> CreateReturneeAsync(GatewayHost host, string token, string reference, string nationality)
    {
        var answer = await host.PostAsync("/api/v1/returnees", token, Demo.Returnee(reference, nationality: nationality));
        Assert.True(answer.Status == HttpStatusCode.Created, "creating a returnee: " + answer);
        return answer.Json.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_pakistani_national_on_an_operation_to_albania_is_422_destination_of_return_and_nothing_is_booked()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var albanian = await CreateReturneeAsync(host, at, "AT-DR-1", "AL");
        var pakistani = await CreateReturneeAsync(host, at, "AT-DR-2", "PK");

        var refused = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([albanian, pakistani], escorts: 4, medical: 1));

        Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity, refused.ToString());
        Assert.Equal("application/problem+json", refused.ContentHeaders?.ContentType?.MediaType);
        Assert.Equal("destination-of-return", refused.Json.GetProperty("rule").GetString());
        Assert.Contains(pakistani, refused.Json.GetProperty("detail").GetString());
        var bookings = await host.GetAsync($"/api/v1/operations/{operation}/bookings", at);
        Assert.True(bookings.Status == HttpStatusCode.OK, bookings.ToString());
        Assert.DoesNotContain(albanian, bookings.Body);

        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([albanian], escorts: 2, medical: 1));
        Assert.True(booked.Status == HttpStatusCode.Created, booked.ToString());
    }

    [Fact]
    public async Task A_readmission_accepted_by_a_destination_of_the_operation_lets_a_third_country_national_be_booked()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var pakistani = await CreateReturneeAsync(host, at, "AT-DR-3", "PK");
        var request = await host.PostAsync($"/api/v1/returnees/{pakistani}/readmission-requests", at, new { destination = "AL" });
        var id = request.Json.GetProperty("id").GetString();

        var pending = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([pakistani], escorts: 2, medical: 1));
        Assert.True(pending.Status == HttpStatusCode.UnprocessableEntity, pending.ToString());
        Assert.Equal("destination-of-return", pending.Json.GetProperty("rule").GetString());

        var accepted = await host.PostAsync($"/api/v1/readmission-requests/{id}/reply", host.Token("partner", "AL"), new { accepted = true });
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.ToString());
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([pakistani], escorts: 2, medical: 1));
        Assert.True(booked.Status == HttpStatusCode.Created, booked.ToString());
    }
}
