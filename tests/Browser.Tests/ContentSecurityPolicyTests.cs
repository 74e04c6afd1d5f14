using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Issue 11, defect 4: the pages are served with a strict Content-Security-Policy (self only, no inline script or style),
/// and every view still works under it: Chromium reports no violation.
/// </summary>
public sealed class ContentSecurityPolicyTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(null, null, "#/")]
    [InlineData("secretariat", null, "#/board")]
    [InlineData("secretariat", null, "#/statistics")]
    [InlineData("admin", null, "#/statistics")]
    [InlineData("admin", null, "#/reintegration-providers")]
    [InlineData("coordinator", "AT", "#/coordinator")]
    [InlineData("coordinator", "AT", "#/organiser")]
    [InlineData("partner", "NG", "#/partner")]
    [InlineData("monitor", null, "#/monitor")]
    public async Task Every_view_renders_under_the_policy_without_a_violation(string? role, string? country, string hash)
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        var first = await page.GotoAsync(fixture.Gateway.Address.ToString());
        Assert.NotNull(first);
        var policy = await first.HeaderValueAsync("content-security-policy");
        Assert.True(policy is not null && policy.Contains("script-src 'self'", StringComparison.Ordinal) && !policy.Contains("unsafe-inline", StringComparison.Ordinal), policy);
        Assert.Equal("nosniff", await first.HeaderValueAsync("x-content-type-options"));
        // A subject of its own: other tests' board pages stay open and count against their caller's stream limit.
        if (role is not null)
        {
            await page.EvaluateAsync("t => sessionStorage.setItem('returnops.token', t)", GatewayProcess.Token(role, country, subject: $"csp-{role}-{Guid.NewGuid():N}"));
        }
        await page.GotoAsync(new Uri(fixture.Gateway.Address, "/" + hash).ToString());
        // Not "network idle": the board holds its event stream open.
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.Locator("main h2").First).ToBeVisibleAsync();
        if (hash == "#/board")
        {
            // The seat bars are drawn with the rows; they once carried a style attribute.
            await Expect(page.Locator("tr[data-operation] .bar").First).ToBeVisibleAsync();
        }
        // A round trip after rendering: the console messages sent before it have arrived.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
