using System.Globalization;
using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The statistics page is open to the secretariat and the admin and reads <c>/statistics</c> and <c>/statistics/reintegration</c>.
/// Both must answer the admin with the secretariat's counts (the bug: both refused admin, so the page showed an error), and
/// neither may carry a case's id or reference.
/// </summary>
public sealed class StatisticsPageDataTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Tirana = "al-tirana-reintegration";

    [Fact]
    public async Task The_admin_gets_the_same_counts_as_the_secretariat_and_no_personal_data()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();
        var today = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Demo.CreateOperationAsync(host, at, now, ["AL"]);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{Tirana}", host.Token("admin"),
            new { country = "AL", name = "Tirana Reintegration Service" })).Status);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-STAT-1");
        await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at, new { givenOn = today, scope = "Referral in Albania" });
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana })).Status);

        // Operations count in the year they depart (Demo: in 20 days), referrals in the year they are made.
        var operationsPath = $"/api/v1/statistics?year={now.AddDays(20).Year}";
        var referralsPath = $"/api/v1/statistics/reintegration?year={now.Year}";
        foreach (var path in new[] { operationsPath, referralsPath })
        {
            var secretariat = await host.GetAsync(path, host.Token("secretariat"));
            var admin = await host.GetAsync(path, host.Token("admin"));
            Assert.True(admin.Status == HttpStatusCode.OK, $"{path}: {admin}");
            Assert.Equal(secretariat.Body, admin.Body);
            Assert.DoesNotContain(returnee, admin.Body);
            Assert.DoesNotContain("AT-STAT-1", admin.Body);
        }
        var reintegration = (await host.GetAsync(referralsPath, host.Token("admin"))).Json;
        Assert.Equal(1, reintegration.GetProperty("referrals").GetInt64());
        var operations = (await host.GetAsync(operationsPath, host.Token("admin"))).Json.GetProperty("operations");
        Assert.Equal(1, operations.EnumerateArray().Sum(o => o.GetProperty("count").GetInt64()));
    }
}
