using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static ReturnOps.Browser.Tests.Journeys;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Rule 18 on the admin's side: the admin keeps the reintegration service providers on a page of its own. It adds one and sees it
/// listed, changes its name, and an id the gateway refuses is shown with the gateway's reason, next to the form, changing nothing.
/// The admin also opens the statistics page it is offered and gets its counts, the same as the API's (the gateway once
/// refused them to the admin).
/// </summary>
public sealed class AdminProvidersJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_admin_adds_a_provider_in_its_page_sees_it_listed_and_reads_why_a_bad_id_is_refused()
    {
        var page = await SignInAsync(fixture, "Administrator");
        await GoToAsync(page, "Reintegration providers");
        var id = $"ge-tbilisi-{Guid.NewGuid():N}"[..24];

        var form = page.Locator("#provider-form");
        await form.GetByLabel("Id", new() { Exact = true }).FillAsync(id);
        await form.GetByLabel("Country where it works").SelectOptionAsync("GE");
        await form.GetByLabel("Name").FillAsync("Tbilisi Reintegration Centre");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add provider" }).ClickAsync();
        await Expect(page.Locator("#provider-result")).ToContainTextAsync($"Saved: Tbilisi Reintegration Centre ({id})");
        var row = page.Locator($"tr[data-provider='{id}']");
        await Expect(row).ToContainTextAsync("Georgia (GE)");
        await Expect(row).ToContainTextAsync("Tbilisi Reintegration Centre");

        await row.GetByRole(AriaRole.Button, new() { Name = "Change Tbilisi Reintegration Centre" }).ClickAsync();
        await Expect(form.GetByLabel("Id", new() { Exact = true })).ToHaveValueAsync(id);
        await form.GetByLabel("Name").FillAsync("Tbilisi Return and Reintegration Centre");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator($"tr[data-provider='{id}']")).ToContainTextAsync("Tbilisi Return and Reintegration Centre");
        await page.ReloadAsync();
        await Expect(page.Locator($"tr[data-provider='{id}']")).ToContainTextAsync("Tbilisi Return and Reintegration Centre");

        var rows = await page.Locator("tr[data-provider]").CountAsync();
        await form.GetByLabel("Id", new() { Exact = true }).FillAsync("Tbilisi Centre");
        await form.GetByLabel("Country where it works").SelectOptionAsync("GE");
        await form.GetByLabel("Name").FillAsync("Refused");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add provider" }).ClickAsync();
        var problem = page.GetByRole(AriaRole.Alert);
        await Expect(problem).ToContainTextAsync("Not saved.");
        await Expect(problem).ToContainTextAsync("lower-case letters, digits and dashes");
        await Expect(form.GetByLabel("Id", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(rows, await page.Locator("tr[data-provider]").CountAsync());
        // Last: the check closes the page.
        await AccessibilityTests.AssertNoViolations(page, "admin (reintegration providers)");
    }

    [Fact]
    public async Task The_admin_opens_the_statistics_page_and_sees_the_counts()
    {
        var page = await SignInAsync(fixture, "Administrator");
        await GoToAsync(page, "Statistics");
        await Expect(page.Locator("figure.chart").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reintegration referrals" })).ToBeVisibleAsync();
        await Expect(page.Locator("main .problem")).ToHaveCountAsync(0);

        // The counts shown are the API's: asked for here with the page's own session cookie, for the year the page shows.
        var api = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const headers = { Accept: 'application/json' };
              const year = new Date().getUTCFullYear();
              const get = async (path) => (await fetch(`/api/v1/${path}?year=${year}`, { headers })).json();
              return { stats: await get('statistics'), reintegration: await get('statistics/reintegration') };
            }
            """);
        var stats = api.GetProperty("stats");
        var figures = page.Locator("dl.figures");
        await Expect(Figure(figures, "Seats suspended (early warnings)")).ToHaveTextAsync(Count(stats, "suspensions"));
        await Expect(Figure(figures, "No-shows (did not board)")).ToHaveTextAsync(Count(stats, "noShows"));
        await Expect(Figure(figures, "Serious incidents and complaints")).ToHaveTextAsync(Count(stats, "incidents"));
        var operations = stats.GetProperty("operations").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64());
        var byType = await page.Locator("figure.chart svg[aria-label^='Operations by type:']").GetAttributeAsync("aria-label");
        Assert.Equal(operations, Regex.Matches(byType!, @" (\d+)(?:,|$)").Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        var r = api.GetProperty("reintegration");
        await Expect(page.Locator("#reintegration-heading + p")).ToContainTextAsync(
            $"{Count(r, "referrals")} referrals, {Count(r, "accepted")} accepted, {Count(r, "assistanceDeliveries")} assistance deliveries");
    }

    private static ILocator Figure(ILocator figures, string term) => figures.Locator($"dt:text-is('{term}') + dd");

    private static string Count(JsonElement figures, string name) => figures.GetProperty(name).GetInt64().ToString(CultureInfo.InvariantCulture);
}
