using System.Net;
using System.Text.Json;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Tests.Contract;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 23, the OWASP part: the limits the OpenAPI document declares (maxLength, maximum, maxItems) are the limits the gateway
/// enforces (RequestLimits, from the same attributes). At the limit a request is taken; one past it is refused with a problem
/// before anything is read or stored: 422 <c>validation</c> for a body field, 400 for a path or query value.
/// </summary>
public sealed class RequestLimitsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task A_body_string_past_its_declared_maxLength_is_422_and_stores_nothing()
    {
        var host = await StartAsync();
        var admin = host.Token("admin");
        var declared = await DeclaredAsync(host, "CountryInput", "name", "maxLength");
        Assert.Equal(RequestLimits.MaxName, declared);

        var rowsBefore = await DomainRows.SnapshotAsync(host);
        var refused = await host.SendAsync(HttpMethod.Put, "/api/v1/countries/ZZ", admin, Country(new string('N', declared + 1)));
        AssertRefused(refused, HttpStatusCode.UnprocessableEntity, "name");
        Assert.Equal(rowsBefore, await DomainRows.SnapshotAsync(host));
        Assert.DoesNotContain("\"ZZ\"", (await host.GetAsync("/api/v1/countries", admin)).Body, StringComparison.Ordinal);

        var taken = await host.SendAsync(HttpMethod.Put, "/api/v1/countries/ZZ", admin, Country(new string('N', declared)));
        Assert.True(taken.Status == HttpStatusCode.OK, taken.ToString());
    }

    [Fact]
    public async Task A_number_past_its_declared_maximum_is_422_and_stores_nothing()
    {
        var host = await StartAsync();
        var admin = host.Token("admin");
        var declared = await DeclaredAsync(host, "AgreementInput", "replyDays", "maximum");
        Assert.Equal(365, declared);
        var before = (await host.GetAsync("/api/v1/agreements", admin)).Body;

        var refused = await host.SendAsync(HttpMethod.Put, "/api/v1/agreements/AL", admin, Agreement(declared + 1));
        AssertRefused(refused, HttpStatusCode.UnprocessableEntity, "replyDays");
        Assert.Equal(before, (await host.GetAsync("/api/v1/agreements", admin)).Body);

        var taken = await host.SendAsync(HttpMethod.Put, "/api/v1/agreements/AL", admin, Agreement(declared));
        Assert.True(taken.Status == HttpStatusCode.OK, taken.ToString());
    }

    [Fact]
    public async Task An_array_past_its_declared_maxItems_or_with_a_long_item_is_422_and_stores_nothing()
    {
        var host = await StartAsync();
        var admin = host.Token("admin");
        var declared = await DeclaredAsync(host, "CountryInput", "airports", "maxItems");
        var rowsBefore = await DomainRows.SnapshotAsync(host);

        var tooMany = await host.SendAsync(HttpMethod.Put, "/api/v1/countries/ZZ", admin,
            new { name = "Zedland", group = "ThirdCountry", airports = Enumerable.Repeat("LOS", declared + 1).ToArray() });
        AssertRefused(tooMany, HttpStatusCode.UnprocessableEntity, "airports");
        var tooLong = await host.SendAsync(HttpMethod.Put, "/api/v1/countries/ZZ", admin,
            new { name = "Zedland", group = "ThirdCountry", airports = new[] { "LOS", new string('L', 10_000) } });
        AssertRefused(tooLong, HttpStatusCode.UnprocessableEntity, "airports");
        Assert.Equal(rowsBefore, await DomainRows.SnapshotAsync(host));
        Assert.DoesNotContain("\"ZZ\"", (await host.GetAsync("/api/v1/countries", admin)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_or_query_value_past_its_declared_maxLength_is_400()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var contract = OpenApiContract.Parse((await host.GetAsync(ContractCheckingHandler.DocumentPath, null)).Body);
        var list = contract.Find("GET", "/api/v1/returnees").Operation!;
        Assert.Equal(RequestLimits.MaxParameterLength, list.Parameters!.Single(p => p.Name == "after").Schema!.MaxLength);
        Assert.Equal(200, list.Parameters!.Single(p => p.Name == "reference").Schema!.MaxLength);
        var one = contract.Find("GET", "/api/v1/returnees/x").Operation!;
        Assert.Equal(RequestLimits.MaxIdLength, one.Parameters!.Single(p => p.Name == "id").Schema!.MaxLength);

        AssertRefused(await host.GetAsync("/api/v1/returnees?reference=" + new string('r', 201), at), HttpStatusCode.BadRequest, "reference");
        AssertRefused(await host.GetAsync("/api/v1/returnees?after=" + new string('A', RequestLimits.MaxParameterLength + 1), at), HttpStatusCode.BadRequest, "after");
        AssertRefused(await host.GetAsync("/api/v1/returnees/rt-" + new string('0', RequestLimits.MaxIdLength), at), HttpStatusCode.BadRequest, "id");
        var year = await host.GetAsync("/api/v1/statistics?year=2201", host.Token("secretariat"));
        AssertRefused(year, HttpStatusCode.BadRequest, "year");
        Assert.Equal("The field year must be between 2000 and 2200.", year.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/returnees?reference=" + new string('r', 200), at)).Status);
    }

    private static object Country(string name) => new { name, group = "ThirdCountry", airports = new[] { "LOS" } };

    private static object Agreement(int replyDays) => new { replyDays, extensionDays = 0, silenceMeansAcceptance = false, transferDays = 90 };

    /// <summary>The limit the served document declares on a property of a request schema.</summary>
    private static async Task<int> DeclaredAsync(GatewayHost host, string schema, string property, string keyword)
    {
        using var document = JsonDocument.Parse((await host.GetAsync(ContractCheckingHandler.DocumentPath, null)).Body);
        var value = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty(keyword);
        return value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetInt32();
    }

    private static void AssertRefused(Answer answer, HttpStatusCode status, string naming)
    {
        Assert.True(answer.Status == status, answer.ToString());
        Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        Assert.Contains(naming, answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (status == HttpStatusCode.UnprocessableEntity)
        {
            Assert.Equal("validation", answer.Json.GetProperty("rule").GetString());
        }
    }
}
