using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Issue 24 §2, "nothing silent", in a real browser: a failed request says what did not happen and that nothing was lost, the
/// board says when its stream drops and returns, and a destination's rejection stands out on the organiser's card and the
/// board until the organiser takes the rejected person off.
/// </summary>
public sealed class NothingSilentTests(BrowserFixture fixture)
{
    private GatewayProcess Gateway => fixture.Gateway;

    [Fact]
    public async Task A_request_the_server_fails_or_never_answers_says_it_was_not_done_and_nothing_was_lost()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "HU"), "#/organiser");
        var uncaught = new List<string>();
        page.PageError += (_, error) => uncaught.Add(error);
        var card = page.Locator("[data-organised='demo-op-3']");
        var monitor = card.Locator("input[id='demo-op-3-monitor']");
        await Expect(monitor).ToBeVisibleAsync();

        await page.RouteAsync("**/api/v1/operations/demo-op-3/monitors", route => route.FulfillAsync(new()
        {
            Status = 503, ContentType = "text/html", Body = "<html>Service Unavailable</html>",
        }));
        await monitor.FillAsync("monitor-7");
        await card.GetByRole(AriaRole.Button, new() { Name = "Assign monitor" }).ClickAsync();
        await Expect(card.Locator(".problem")).ToContainTextAsync("This was not done: the server failed (HTTP 503). Nothing you entered was lost");
        await Expect(monitor).ToHaveValueAsync("monitor-7");

        await page.UnrouteAsync("**/api/v1/operations/demo-op-3/monitors");
        await page.RouteAsync("**/api/v1/operations/demo-op-3/monitors", route => route.AbortAsync("connectionrefused"));
        await card.GetByRole(AriaRole.Button, new() { Name = "Assign monitor" }).ClickAsync();
        await Expect(card.Locator(".problem")).ToContainTextAsync("This was not done: the server could not be reached. Nothing you entered was lost");

        Assert.Empty(uncaught);
        await AccessibilityTests.AssertNoViolations(page, "organiser, a request not done");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_board_says_reconnecting_while_its_stream_is_down_and_live_once_it_returns()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Gateway.Address.ToString());
        await page.EvaluateAsync("t => sessionStorage.setItem('returnops.token', t)", GatewayProcess.Token("secretariat"));
        // The stream is down from the start: the gateway answers it 503, as when its silos are gone.
        var down = true;
        await page.RouteAsync("**/api/v1/events", route => down ? route.FulfillAsync(new() { Status = 503 }) : route.ContinueAsync());
        await page.GotoAsync(new Uri(Gateway.Address, "/#/board").ToString());
        var live = page.Locator("#live");

        await Expect(live).ToContainTextAsync("Reconnecting…", new() { Timeout = 5_000 });
        await Expect(page.Locator("tr[data-operation]").First).ToBeVisibleAsync();
        await AccessibilityTests.AssertNoViolations(page, "board, reconnecting");

        down = false;
        await Expect(live).ToContainTextAsync("Live: updated", new() { Timeout = 5_000 });
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_rejected_person_is_named_on_the_organisers_card_blocks_the_departure_and_is_removed_there()
    {
        var hungary = GatewayProcess.Token("coordinator", "HU");
        var manifest = await Gateway.GetAsync("/api/v1/operations/demo-op-3/manifest", hungary);
        // A Hungarian returnee of a booking that keeps others: the last one of a booking is not removed, it is cancelled.
        var rejected = manifest.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("country").GetString() == "HU")
            .GroupBy(e => e.GetProperty("bookingId").GetString()).First(g => g.Count() > 1).Last().GetProperty("returneeId").GetString()!;
        var reference = (await Gateway.GetAsync($"/api/v1/returnees/{rejected}", hungary)).GetProperty("reference").GetString();
        var (status, body) = await Gateway.PostAsync("/api/v1/operations/demo-op-3/clearance", GatewayProcess.Token("partner", "GE"),
            new { cleared = false, rejectedReturnees = new[] { rejected }, reason = "not a national of Georgia" });
        Assert.True(status == HttpStatusCode.OK, $"rejection: {(int)status} {body}");

        var board = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board");
        await Expect(board.Locator("tr[data-operation='demo-op-3'] ul.alert")).ToContainTextAsync("The manifest was rejected by GE");
        await board.Context.CloseAsync();

        var page = await fixture.SignedInPageAsync(hungary, "#/organiser");
        var card = page.Locator("[data-organised='demo-op-3']");
        var alert = card.Locator("[data-rejections]");
        await Expect(alert).ToContainTextAsync("Manifest rejected by GE");
        var person = alert.Locator($"li[data-rejected='{rejected}']");
        await Expect(person).ToContainTextAsync($"Case {reference}, rejected by GE: not a national of Georgia");
        var depart = card.GetByRole(AriaRole.Button, new() { Name = "Record departure", Exact = true });
        await Expect(depart).ToBeDisabledAsync();
        await AccessibilityTests.AssertNoViolations(page, "organiser, a manifest rejected");

        await person.GetByRole(AriaRole.Button, new() { Name = $"Remove from booking: Case {reference}" }).ClickAsync();

        await Expect(alert).ToHaveCountAsync(0);
        await Expect(depart).ToBeEnabledAsync();
        var bookings = await Gateway.GetAsync("/api/v1/operations/demo-op-3/bookings", hungary);
        Assert.DoesNotContain(bookings.GetProperty("items").EnumerateArray().SelectMany(b => b.GetProperty("returnees").EnumerateArray()),
            r => r.GetString() == rejected);
        await page.Context.CloseAsync();
    }
}
