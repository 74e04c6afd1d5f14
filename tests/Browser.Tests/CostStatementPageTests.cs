using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>Rule 19 in the pages: the organiser enters costs on the statement page; the secretariat reads every state's share.</summary>
public sealed class CostStatementPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_organiser_enters_costs_from_its_operation_and_the_secretariat_reads_shares_that_add_up()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "HU"), "#/organiser");
        await page.Locator("[data-organised='demo-op-3'] a[data-costs-link]").ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("Cost statement of demo-op-3");

        var add = page.Locator("form[data-cost-form='add']");
        await add.Locator("select[name=category]").SelectOptionAsync("Charter");
        await add.Locator("input[name=amount]").FillAsync("52000.50");
        await add.Locator("input[name=from]").FillAsync("BUD");
        await add.Locator("input[name=to]").FillAsync("TBS");
        await add.Locator("input[name=description]").FillAsync("A321 charter, one way");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add the cost line" }).ClickAsync();
        await Expect(page.Locator("[data-field='total-costs']")).ToHaveTextAsync("€52,000.50");

        var funds = page.Locator("form[data-co-financing-form='add']");
        await funds.Locator("input[name=amount]").FillAsync("60000");
        await funds.GetByRole(AriaRole.Button, new() { Name = "Add the co-financing" }).ClickAsync();
        await Expect(page.Locator("#cost-entry .problem")).ToContainTextAsync("Co-financing cannot exceed");
        await funds.Locator("input[name=amount]").FillAsync("30000");
        await funds.GetByRole(AriaRole.Button, new() { Name = "Add the co-financing" }).ClickAsync();
        await Expect(page.Locator("[data-field='net-cost']")).ToHaveTextAsync("€22,000.50");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("organiser-costs"), FullPage = true });
        await AccessibilityTests.AssertNoViolations(page, "organiser's cost entry");

        var board = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board");
        await board.Locator("tr[data-operation='demo-op-3'] a[data-costs-link]").ClickAsync();
        var shares = board.Locator("tr[data-share]");
        await Expect(shares.First).ToBeVisibleAsync();
        var cents = 0m;
        foreach (var amount in await board.Locator("tr[data-share] td.amount:last-child").AllInnerTextsAsync())
        {
            cents += decimal.Parse(amount.TrimStart('€').Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(22_000.50m, cents);
        await AccessibilityTests.AssertNoViolations(board, "secretariat's cost statement");
    }
}
