using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Rules 5 and 15 ask for configurable figures: the operator sets them in configuration, and a bad one stops the start.</summary>
public sealed class GrainsSettingsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task Retention_erases_after_the_configured_number_of_days()
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(clock: clock, settings: new Dictionary<string, string?> { ["Grains:RetentionDays"] = "3" });
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RET-1");
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2, 1))).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Cancelled", reason = "aircraft unavailable" })).Status);

        clock.Advance(TimeSpan.FromDays(2));
        await host.FireDueRemindersAsync();
        Assert.Equal("AT-RET-1", (await host.GetAsync($"/api/v1/returnees/{returnee}", at)).Json.GetProperty("reference").GetString());

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await Eventually.True(async () =>
        {
            await host.FireDueRemindersAsync();
            return (await host.GetAsync($"/api/v1/returnees/{returnee}", at)).Json.GetProperty("status").GetString() == "Erased";
        }, "the retention reminder three days after the cancellation");
        Assert.Equal(3, host.Services.GetRequiredService<GrainsOptions>().RetentionDays);
    }

    [Theory]
    [InlineData("Grains:RetentionDays", "-1")]
    [InlineData("Grains:FitToTravelWindowDays", "0")]
    public async Task A_figure_out_of_range_stops_the_start_and_names_the_setting(string setting, string value)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings: new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }
}
