using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Every page, as each role sees it once its data has loaded, checked by axe-core (bundled in the package,
/// nothing fetched) against the WCAG 2.0, 2.1 and 2.2 level A and AA rules and axe's best practices;
/// and the coordinator's booking form walked with the keyboard.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    private static readonly AxeRunOptions WcagAndBestPractice = new()
    {
        RunOnly = RunOnlyOptions.Tags("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"),
    };

    [Fact]
    public async Task The_sign_in_page_has_no_axe_violations()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Gateway.Address.ToString());
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await AssertNoViolations(page, "sign-in");

        // The demo identity provider's page too: it is the first thing a person sees of the demo.
        var provider = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await provider.GotoAsync(fixture.Gateway.Address.ToString());
        await provider.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(provider.Locator(".identities a").First).ToBeVisibleAsync();
        await AssertNoViolations(provider, "demo identity provider");
    }

    [Fact]
    public async Task The_secretariat_board_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board");
        await Expect(page.Locator("tr[data-operation]").First).ToBeVisibleAsync();

        await AssertNoViolations(page, "secretariat board");
    }

    [Fact]
    public async Task The_secretariat_board_at_390_pixels_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board", width: 390);
        await Expect(page.Locator("tr[data-operation]").First).ToBeVisibleAsync();

        await AssertNoViolations(page, "secretariat board, 390 px");
    }

    [Fact]
    public async Task The_statistics_page_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/statistics");
        await Expect(page.Locator("figure.chart").First).ToBeVisibleAsync();

        await AssertNoViolations(page, "statistics");
    }

    [Fact]
    public async Task The_coordinator_page_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "AT"), "#/coordinator");
        await Expect(page.Locator("input[name=returnee]").First).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-returnee]").First).ToBeVisibleAsync();

        await AssertNoViolations(page, "coordinator (AT)");
    }

    [Fact]
    public async Task The_coordinator_page_explaining_a_refused_booking_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "BE"), "#/coordinator");
        await Expect(page.Locator("#booking-form")).ToBeVisibleAsync();
        // The refusal is answered here, so the check books no seat that other tests count.
        await page.RouteAsync("**/bookings", route => route.FulfillAsync(new()
        {
            Status = 422,
            ContentType = "application/problem+json",
            Body = """{"title":"A booking rule is broken","status":422,"detail":"2 forced returnees need 4 escorts.","rule":"escort-ratio"}""",
        }));
        await page.ClickAsync("#booking-form button[type=submit]");
        await Expect(page.Locator("#booking-refused")).ToBeVisibleAsync();

        await AssertNoViolations(page, "coordinator (BE) with a refused booking");
    }

    [Fact]
    public async Task The_partner_page_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("partner", "PK"), "#/partner");
        await Expect(page.Locator("[data-manifest]").First).ToBeVisibleAsync();

        await AssertNoViolations(page, "partner (PK)");
    }

    [Fact]
    public async Task The_monitor_page_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("monitor", subject: "demo-monitor"), "#/monitor");
        await Expect(page.Locator("[data-monitored]").First).ToBeVisibleAsync();

        await AssertNoViolations(page, "monitor");
    }

    [Fact]
    public async Task The_organiser_page_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "DE"), "#/organiser");
        await Expect(page.Locator("[data-organised='demo-op-2']")).ToBeVisibleAsync();

        await AssertNoViolations(page, "organiser (DE)");
    }

    [Fact]
    public async Task The_organiser_page_with_the_plan_form_and_a_refusal_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "FR"), "#/organiser");
        await page.GetByText("Plan a new operation").ClickAsync();
        await Expect(page.Locator("#create-operation")).ToBeVisibleAsync();
        // demo-op-6 is France's draft; confirming is not its next step, so the refusal is answered here and changes nothing.
        await page.RouteAsync("**/status", route => route.FulfillAsync(new()
        {
            Status = 409,
            ContentType = "application/problem+json",
            Body = """{"title":"A booking rule is broken","status":409,"detail":"The booking deadline has passed.","rule":"booking-closed"}""",
        }));
        await page.Locator("[data-organised='demo-op-6']").GetByRole(AriaRole.Button, new() { Name = "Announce" }).ClickAsync();
        await Expect(page.Locator("[data-refused=Announced]")).ToBeVisibleAsync();

        await AssertNoViolations(page, "organiser (FR) with the plan form");
    }

    [Fact]
    public async Task The_coordinator_page_with_the_case_form_and_import_has_no_axe_violations()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "CH"), "#/coordinator");
        await page.GetByText("Register a returnee").ClickAsync();
        await Expect(page.Locator("#register-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#import-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#bookings")).ToBeVisibleAsync();

        await AssertNoViolations(page, "coordinator (CH) with the case form");
    }

    [Fact]
    public async Task The_sign_in_page_explaining_a_bad_token_has_no_axe_violations()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Gateway.Address.ToString());
        await page.GetByLabel("Access token").FillAsync("not a token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with this token", Exact = true }).ClickAsync();
        await Expect(page.Locator("#signin-problem .problem")).ToBeVisibleAsync();

        await AssertNoViolations(page, "sign-in with a bad token");
    }

    [Fact]
    public async Task Tab_reaches_every_control_of_the_booking_form_in_order_with_a_visible_focus()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "HU"), "#/coordinator");
        await Expect(page.Locator("input[name=returnee]").First).ToBeVisibleAsync();
        // The picker's table scrolls sideways on narrow screens, so its wrapper takes focus too (dom.js).
        var expected = await page.EvalOnSelectorAllAsync<string[]>("#booking-form input, #booking-form select, #booking-form button, #booking-form [tabindex='0']",
            $"controls => controls.map({ControlName})");
        Assert.Contains("operation", expected);
        Assert.Contains("escorts", expected);

        // Start just before the form (other panels, such as the notifications list, come first on the page): the
        // form itself takes focus programmatically, and the first Tab from there enters its first control.
        await page.Locator("#booking-form").EvaluateAsync("form => { form.tabIndex = -1; form.focus(); }");
        var reached = new List<string>();
        for (var i = 0; i < expected.Length; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<JsonElement>($$"""
                () => {
                  const c = document.activeElement;
                  const style = getComputedStyle(c);
                  return { name: ({{ControlName}})(c), outline: `${style.outlineStyle} ${style.outlineWidth}` };
                }
                """);
            var name = focused.GetProperty("name").GetString()!;
            var outline = focused.GetProperty("outline").GetString()!;
            reached.Add(name);
            Assert.False(outline.StartsWith("none", StringComparison.Ordinal) || outline.EndsWith(" 0px", StringComparison.Ordinal),
                $"Focus on '{name}' is not visible: outline {outline}.");
        }

        Assert.Equal(expected, reached);
        Assert.Equal("button: Request seats", reached[^1]);
    }

    /// <summary>How a form control is named in the keyboard test's messages: its id, its checkbox value, or its text.</summary>
    private const string ControlName = "c => c.id || (c.name ? `${c.name}=${c.value}` : `${c.localName}: ${c.textContent}`)";

    internal static async Task AssertNoViolations(IPage page, string name)
    {
        var result = await page.RunAxe(WcagAndBestPractice);
        if (result.Incomplete.Length > 0)
        {
            // Not failures: what axe could not decide alone (e.g. text drawn in an SVG), written out for a human look.
            TestContext.Current.TestOutputHelper?.WriteLine(
                Describe($"axe could not decide {result.Incomplete.Length} rule(s) on the {name} page; check by hand:", result.Incomplete, nodesShown: 3));
        }
        Assert.True(result.Violations.Length == 0,
            Describe($"axe found {result.Violations.Length} violation(s) on the {name} page:", result.Violations, nodesShown: int.MaxValue));
        await page.Context.CloseAsync();
    }

    /// <summary>Each rule with what to fix and where, so a failing run needs no second look.</summary>
    private static string Describe(string heading, AxeResultItem[] rules, int nodesShown)
    {
        var text = new StringBuilder(heading);
        foreach (var rule in rules)
        {
            text.AppendLine().Append($"- {rule.Id} ({rule.Impact}): {rule.Help} <{rule.HelpUrl}>");
            foreach (var node in rule.Nodes.Take(nodesShown))
            {
                var why = string.Join(" ", (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message));
                text.AppendLine().Append($"    at {node.Target}: {why}");
            }
            if (rule.Nodes.Length > nodesShown)
            {
                text.AppendLine().Append($"    and {rule.Nodes.Length - nodesShown} more element(s)");
            }
        }
        return text.ToString();
    }
}
