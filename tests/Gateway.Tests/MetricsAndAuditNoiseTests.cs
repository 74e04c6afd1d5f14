using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using ReturnOps.Silo.Observability;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 11, defect 6: 300 requests without a token added 300 rows to the hash-chained audit log, and every anonymous
/// scrape of <c>/metrics</c> ran aggregate queries.
/// </summary>
public sealed class MetricsAndAuditNoiseTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Requests_without_a_valid_token_are_counted_not_chained_while_403s_stay_audited(string provider)
    {
        var host = await StartAsync(provider);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/api/v1/returnees", i % 2 == 0 ? null : "not-a-token")).Status);
        }
        var forged = host.Token("coordinator", "AT")[..^4] + "AAAA";
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/api/v1/operations", forged)).Status);
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_audit"));

        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("/api/v1/returnees", host.Token("partner", "AL"))).Status);
        Assert.Equal(1, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_audit WHERE action = 'access.denied' AND outcome = '403' AND subject = 'partner-al'"));

        var metrics = await host.GetAsync("/metrics", null);
        Assert.Equal(30, Sample(metrics.Body, "returnops_unauthenticated_requests_total{route=\"/api/v1/returnees/\"}"));
        Assert.Equal(1, Sample(metrics.Body, "returnops_unauthenticated_requests_total{route=\"/api/v1/operations/\"}"));
    }

    [Fact]
    public async Task A_scrape_within_the_cache_period_reads_no_gauge_from_the_database()
    {
        var cached = await StartAsync();
        var uncached = await StartAsync(settings: new Dictionary<string, string?> { ["Gateway:MetricsCacheSeconds"] = "0" });
        foreach (var host in new[] { cached, uncached })
        {
            Assert.Equal(0, Sample((await host.GetAsync("/metrics", null)).Body, "returnops_booked_seats{status=\"Confirmed\"}"));
            var at = host.Token("coordinator", "AT");
            var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
            var returnee = await Demo.CreateReturneeAsync(host, at, "AT-METRICS-1");
            var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2));
            Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);
        }

        // Well within the default 15 s: the cached host still shows the seats it read at the first scrape.
        Assert.Equal(0, Sample((await cached.GetAsync("/metrics", null)).Body, "returnops_booked_seats{status=\"Confirmed\"}"));
        Assert.Equal(3, Sample((await uncached.GetAsync("/metrics", null)).Body, "returnops_booked_seats{status=\"Confirmed\"}"));
    }

    [Fact]
    public async Task With_a_metrics_token_a_scrape_must_present_it()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Gateway:MetricsToken"] = "scrape-secret-0123456789" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/metrics", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/metrics", "scrape-secret-wrong")).Status);
        // A valid user token is not a scraper's token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/metrics", host.Token("admin"))).Status);
        var scrape = await host.GetAsync("/metrics", "scrape-secret-0123456789");
        Assert.Equal(HttpStatusCode.OK, scrape.Status);
        Assert.Contains("returnops_http_requests_total", scrape.Body);
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_audit WHERE subject = 'anonymous'"));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.7", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("fd00::1", false)]
    public void Without_a_metrics_token_only_loopback_callers_are_answered(string address, bool answered)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        var refusal = MetricsEndpoint.Refusal(context, metricsToken: null);
        Assert.Equal(answered ? null : StatusCodes.Status403Forbidden, refusal?.Status);
    }

    /// <summary>The value of one Prometheus sample, by its exact name and labels.</summary>
    private static long Sample(string exposition, string series)
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in:\n{exposition}");
        return long.Parse(line![(series.Length + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
