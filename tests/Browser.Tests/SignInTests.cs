using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static ReturnOps.Browser.Tests.Journeys;

namespace ReturnOps.Browser.Tests;

/// <summary>Issue 24, part 1: one sign-in for every tab, sign-out, and a session that ends without losing what was typed.</summary>
public sealed class SignInTests(BrowserFixture fixture)
{
    [Fact]
    public async Task One_sign_in_serves_every_tab_and_signing_out_ends_it_everywhere()
    {
        var first = await SignInAsync(fixture, "JCP secretariat");
        // A second tab of the same browser: signed in already, nothing asked again.
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync(new Uri(fixture.Gateway.Address, "/#/statistics").ToString());
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Statistics", Level = 2 })).ToBeVisibleAsync();
        await Expect(second.Locator("#who")).ToContainTextAsync("demo-secretariat");
        // The session is an HttpOnly cookie: no script of the pages can read it.
        Assert.Equal("", await second.EvaluateAsync<string>("() => document.cookie"));

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(first.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await second.ReloadAsync();
        await Expect(second.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task When_the_session_ends_the_page_says_so_and_keeps_what_was_typed_through_sign_in()
    {
        var page = await SignInAsync(fixture, "Coordinator AT");
        await page.Locator("#register summary").ClickAsync();
        var form = page.Locator("#register-form");
        await form.GetByLabel("Case reference (our own)").FillAsync("AT-KEPT-1");
        await form.GetByLabel("Nationality").SelectOptionAsync("NG");
        await form.GetByLabel("Year of birth").FillAsync("1990");
        await form.GetByLabel("Family group (same label for every member)").FillAsync("kept-family");

        // The session ends (as after its idle time): the cookie is gone when the person sends the form.
        await page.Context.ClearCookiesAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Register case" }).ClickAsync();
        var ended = page.Locator("#session-ended");
        await Expect(ended).ToContainTextAsync("Your session has ended");

        await ended.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }).ClickAsync();
        await ChooseIdentityAsync(page, "Coordinator AT");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My returnees and bookings", Level = 2 })).ToBeVisibleAsync();
        var again = page.Locator("#register-form");
        await Expect(again.GetByLabel("Case reference (our own)")).ToHaveValueAsync("AT-KEPT-1");
        await Expect(again.GetByLabel("Nationality")).ToHaveValueAsync("NG");
        await Expect(again.GetByLabel("Year of birth")).ToHaveValueAsync("1990");
        await Expect(again.GetByLabel("Family group (same label for every member)")).ToHaveValueAsync("kept-family");
    }

    [Fact]
    public async Task The_admin_opens_the_cluster_dashboard_in_the_browser_with_the_session()
    {
        var page = await SignInAsync(fixture, "Administrator");
        var dashboard = await page.GotoAsync(new Uri(fixture.Gateway.Address, "/dashboard/").ToString());
        Assert.Equal(200, dashboard!.Status);
        Assert.EndsWith("/dashboard/", page.Url, StringComparison.Ordinal);
    }
}
