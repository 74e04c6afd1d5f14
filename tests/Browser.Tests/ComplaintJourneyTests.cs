using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Rule 24 in the pages: the public complaint form, without signing in, in a left-to-right and a right-to-left language, answers a
/// tracking code that shows the status. Every page axe-clean.
/// </summary>
public sealed class ComplaintJourneyTests(BrowserFixture fixture)
{
    private const string Hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> <a href=\"https://evil.example\">click</a>";

    [Theory]
    [InlineData("fr", "ltr")]
    [InlineData("ar", "rtl")]
    public async Task A_person_without_an_account_complains_in_their_language_and_follows_the_status(string language, string direction)
    {
        var t = Catalogue(language);
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        // Found from the sign-in page, where everyone without an account lands.
        await page.GotoAsync(fixture.Gateway.Address.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Complain to the fundamental-rights officer (no account needed)" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = t["@metadata"].GetProperty("name").GetString()!, Exact = true }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", direction);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Text(t, "title"), Level = 2 })).ToBeVisibleAsync();
        await AxeFreshFormAsync(language);

        await page.GetByLabel(Text(t, "who.Witness")).CheckAsync();
        await page.GetByLabel(Text(t, "what"), new() { Exact = true }).FillAsync(Hostile);
        await page.GetByLabel(Text(t, "when"), new() { Exact = true }).FillAsync("2026-11-30");
        await page.GetByRole(AriaRole.Button, new() { Name = Text(t, "send") }).ClickAsync();
        var code = (await page.Locator("#tracking-code").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9A-Z]{2}(-[0-9A-Z]{4}){6}$", code);
        await Expect(page.GetByText(Text(t, "sent.keep"))).ToBeVisibleAsync();

        await page.GetByLabel(Text(t, "track.code"), new() { Exact = true }).FillAsync(code.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = Text(t, "track.show") }).ClickAsync();
        await Expect(page.Locator("#tracking-outcome")).ToContainTextAsync(Text(t, "status.Received"));
        await page.GetByLabel(Text(t, "track.code"), new() { Exact = true }).FillAsync("00-0000-0000-0000-0000-0000-0000");
        await page.GetByRole(AriaRole.Button, new() { Name = Text(t, "track.show") }).ClickAsync();
        await Expect(page.Locator("#tracking-outcome")).ToContainTextAsync(Text(t, "error.unknownCode"));
        await AccessibilityTests.AssertNoViolations(page, $"complaint receipt ({language})");
    }

    private async Task AxeFreshFormAsync(string language)
    {
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Gateway.Address, $"/complaint.html?lang={language}").ToString());
        await Expect(page.Locator("form#complaint")).ToBeVisibleAsync();
        await AccessibilityTests.AssertNoViolations(page, $"complaint form ({language})");
    }

    private static string Text(Dictionary<string, JsonElement> catalogue, string id) => catalogue[id].GetString()!;

    /// <summary>The form's messages in <paramref name="language"/>, from the catalogue the page reads.</summary>
    private static Dictionary<string, JsonElement> Catalogue(string language)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "ReturnOps.sln")))
        {
            directory = directory.Parent;
        }
        var file = Path.Combine(directory.FullName, "src", "Gateway", "wwwroot", "i18n", "complaint", language + ".json");
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(file))!;
    }
}
