using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Steps of the role journeys, done as a clerk does them: through the pages only, signed in with the sign-in page's demo
/// identities, through the real sign-in (OpenID Connect at the demo identity provider). Each journey plans operations of its own so that it never changes what other tests look at.
/// </summary>
public static class Journeys
{
    /// <summary>
    /// Signs in as a person does, in a browser of its own: "Sign in" on the sign-in page, then one of the demo identity
    /// provider's identities ("Coordinator AT", "Partner NG", …), and back on the pages with the session cookie.
    /// </summary>
    public static async Task<IPage> SignInAsync(BrowserFixture fixture, string identity)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Gateway.Address.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await ChooseIdentityAsync(page, identity);
        return page;
    }

    /// <summary>On the demo identity provider's page: signs in as <paramref name="identity"/> and waits for the pages.</summary>
    public static async Task ChooseIdentityAsync(IPage page, string identity)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = identity, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    public static async Task GoToAsync(IPage page, string link)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = link, Level = 2 })).ToBeVisibleAsync();
    }

    /// <summary>Plans a joint operation on the organiser page and answers its id; it starts as a draft.</summary>
    public static async Task<string> PlanOperationAsync(IPage page, string[] destinations, string from, string to)
    {
        await GoToAsync(page, "Operations we organise");
        await page.GetByText("Plan a new operation").ClickAsync();
        var form = page.Locator("#create-operation");
        await form.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "Joint return operation" });
        foreach (var destination in destinations)
        {
            await form.Locator($"input[name=destination][value={destination}]").CheckAsync();
        }
        await form.GetByLabel("Leg 1: from (airport)").FillAsync(from);
        await form.GetByLabel("Leg 1: to (airport)").FillAsync(to);
        await form.GetByLabel("Seats on the aircraft").FillAsync("40");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create as draft" }).ClickAsync();
        var draft = page.Locator("section[data-organised][data-status='Draft']");
        await Expect(draft).ToHaveCountAsync(1);
        return (await draft.GetAttributeAsync("data-organised"))!;
    }

    public static ILocator Operation(IPage page, string id) => page.Locator($"section[data-organised='{id}']");

    /// <summary>Takes one lifecycle step with its button and waits for the card to show the new status.</summary>
    public static async Task StepAsync(IPage page, string id, string button, string status)
    {
        var card = Operation(page, id);
        await card.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", status);
    }

    public static async Task ShareAsync(IPage page, string id)
    {
        var card = Operation(page, id);
        await card.GetByRole(AriaRole.Button, new() { Name = $"Share the manifest of {id} with the destinations" }).ClickAsync();
        await Expect(card).ToContainTextAsync("Shared;");
    }

    /// <summary>
    /// Books <paramref name="singles"/> eligible returnees without a family on the coordinator page, with the escorts their
    /// forced returnees need and one medic; answers their case references.
    /// </summary>
    public static async Task<IReadOnlyList<string>> BookSinglesAsync(IPage page, string operation, int singles)
    {
        await GoToAsync(page, "My returnees and bookings");
        var form = page.Locator("#booking-form");
        await form.Locator("#operation").SelectOptionAsync(operation);
        var rows = form.Locator("tr[data-pick]:has(input[name=returnee]:not([data-family]))");
        await Expect(rows.First).ToBeVisibleAsync();
        var references = new List<string>();
        var forced = 0;
        for (var i = 0; i < singles; i++)
        {
            var row = rows.Nth(i);
            await row.Locator("input[name=returnee]").CheckAsync();
            references.Add((await row.Locator("label").InnerTextAsync()).Trim());
            forced += (await row.InnerTextAsync()).Contains("Forced", StringComparison.Ordinal) ? 1 : 0;
        }
        await form.GetByLabel("Escorts").FillAsync((2 * forced).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByLabel("Medical staff").FillAsync("1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Request seats" }).ClickAsync();
        await Expect(page.Locator("#booking-result")).ToContainTextAsync("Confirmed");
        return references;
    }

    /// <summary>Names every staff member of the state's booking on <paramref name="operation"/> with a document valid long after departure.</summary>
    public static async Task NameStaffAsync(IPage page, string operation)
    {
        await GoToAsync(page, "My returnees and bookings");
        var staff = page.Locator("details[data-staff]").Filter(new() { HasText = operation });
        await staff.Locator("summary").ClickAsync();
        var references = staff.Locator("input[name=reference]");
        var dates = staff.Locator("input[name=validUntil]");
        var count = await references.CountAsync();
        for (var i = 0; i < count; i++)
        {
            await references.Nth(i).FillAsync($"SVC-{operation[^6..]}-{i + 1}");
            await dates.Nth(i).FillAsync("2035-12-31");
        }
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save staff" }).ClickAsync();
        await Expect(staff).ToContainTextAsync($"Staff saved: {count} of {count} named.");
    }
}
