using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>The persistent notifications list and the secretariat's overdue-readmission alert, in a real browser.</summary>
public sealed class NotificationsTests(BrowserFixture fixture)
{
    private GatewayProcess Gateway => fixture.Gateway;

    [Fact]
    public async Task A_booking_made_through_the_API_appears_in_the_coordinators_notifications_at_the_next_refresh()
    {
        var token = GatewayProcess.Token("coordinator", "CZ");
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        // The page's timers run on Playwright's clock: the refresh interval is reached by moving it, not by waiting.
        await page.Clock.InstallAsync();
        await page.GotoAsync(Gateway.Address.ToString());
        await page.EvaluateAsync("t => sessionStorage.setItem('returnops.token', t)", token);
        await page.GotoAsync(new Uri(Gateway.Address, "/#/coordinator").ToString());
        var panel = page.Locator("#notifications-panel");
        await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Notifications" })).ToBeVisibleAsync();
        await Expect(page.Locator("#notifications-status")).Not.ToHaveTextAsync("Loading notifications…");

        var returnee = await AvailableReturneeAsync(token);
        var (status, body) = await Gateway.PostAsync("/api/v1/operations/demo-op-1/bookings", token,
            new { returnees = new[] { returnee }, escorts = 2, medical = 0, monitors = 0, interpreters = 0, observers = 0 });
        Assert.True(status == HttpStatusCode.Created, $"booking: {(int)status} {body}");
        var bookingId = body.GetProperty("id").GetString()!;
        var entry = page.Locator($"#notifications li[data-type^='booking.'][data-booking='{bookingId}']");

        await page.Clock.FastForwardAsync("00:31");

        await Expect(entry).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(entry).ToContainTextAsync("demo-op-1");
        await Expect(entry.Locator("strong")).ToHaveTextAsync(body.GetProperty("status").GetString() == "Confirmed" ? "Booking confirmed" : "Booking waitlisted");
        await Expect(page.Locator("#notifications-status")).ToContainTextAsync("new");
        await panel.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("coordinator-notifications") });
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_board_shows_which_destinations_owe_readmission_replies_and_who_waits()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board");
        var alert = page.Locator("#overdue-readmissions");
        await Expect(alert.GetByRole(AriaRole.Heading, new() { Name = "Overdue readmission replies" })).ToBeVisibleAsync();

        // The demo's requests: Georgia let Hungary's pass 8 days ago, Pakistan Poland's 5 days ago; Nigeria is still in time.
        await Expect(alert.Locator("li[data-destination='GE']")).ToContainTextAsync("HU (1 ");
        await Expect(alert.Locator("li[data-destination='PK']")).ToContainTextAsync("PL (1 ");
        await Expect(alert.Locator("li[data-destination='NG']")).ToHaveCountAsync(0);
        await alert.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("secretariat-overdue-readmissions") });
    }

    /// <summary>An available Nigerian returnee of the caller's country with no family group and no broken rule (the demo operations booked here fly to NG: rule 21).</summary>
    private async Task<string> AvailableReturneeAsync(string token)
    {
        var list = await Gateway.GetAsync("/api/v1/returnees?status=Available&nationality=NG", token);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("id").GetString()!;
            var returnee = await Gateway.GetAsync($"/api/v1/returnees/{id}", token);
            if (returnee.GetProperty("familyGroup").ValueKind != JsonValueKind.String && returnee.GetProperty("violations").GetArrayLength() == 0)
            {
                return id;
            }
        }
        // The demo operations took this country's Nigerians: register one.
        var (status, created) = await Gateway.PostAsync("/api/v1/returnees", token, new
        {
            reference = "CZ-NG-NOTIFY", nationality = "NG", birthYear = 1990, sex = "M", unaccompaniedMinor = false, decisionEnforceable = true,
            appealPending = false, appealSuspensive = false, nonRefoulementCleared = true, travelDocumentValidUntil = "2030-12-31",
            medicalFlag = false, vulnerabilities = Array.Empty<string>(), voluntary = false,
        });
        Assert.True(status == System.Net.HttpStatusCode.Created, $"registering: {(int)status} {created}");
        return created.GetProperty("id").GetString()!;
    }
}
