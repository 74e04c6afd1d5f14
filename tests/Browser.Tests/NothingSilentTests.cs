using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Issue 24 §2, "nothing silent", in a real browser: a failed request says what did not happen and that nothing was lost.
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
}
