using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>The web pages in a real browser against the gateway with its demo data.</summary>
public sealed class PageTests(BrowserFixture fixture)
{
    private GatewayProcess Gateway => fixture.Gateway;

    [Fact]
    public async Task The_secretariat_board_shows_a_booking_made_through_the_API_without_a_reload()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board");
        var row = page.Locator("tr[data-operation='demo-op-7']");
        await Expect(row).ToBeVisibleAsync();
        var before = await row.InnerTextAsync();
        await page.EvaluateAsync("() => window.__notReloaded = true");

        var coordinator = GatewayProcess.Token("coordinator", "SI");
        var returnee = await AvailableReturnee(coordinator, forced: null);
        var (status, body) = await Gateway.PostAsync("/api/v1/operations/demo-op-7/bookings", coordinator,
            new { returnees = new[] { returnee }, escorts = 2, medical = 0, monitors = 0, interpreters = 0, observers = 0 });
        Assert.True(status == HttpStatusCode.Created, $"booking: {(int)status} {body}");

        await Expect(row.Locator("li[data-country='SI']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.NotEqual(before, await row.InnerTextAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("secretariat-board"), FullPage = true });
    }

    [Fact]
    public async Task A_coordinator_sees_a_broken_rule_explained_then_books_successfully()
    {
        var token = GatewayProcess.Token("coordinator", "SK");
        var returnee = await AvailableReturnee(token, forced: true);
        var page = await fixture.SignedInPageAsync(token, "#/coordinator");
        var form = page.Locator("#booking-form");
        await Expect(form).ToBeVisibleAsync();
        await page.SelectOptionAsync("#operation", "demo-op-1");
        await page.CheckAsync($"input[name=returnee][value='{returnee}']");
        await page.FillAsync("#escorts", "0");

        await page.ClickAsync("#booking-form button[type=submit]");

        var refused = page.Locator("#booking-refused");
        await Expect(refused).ToHaveAttributeAsync("data-rule", "escort-ratio");
        await Expect(refused).ToContainTextAsync("Too few escorts");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("coordinator-rule-explained"), FullPage = true });

        await page.FillAsync("#escorts", "2");
        await page.ClickAsync("#booking-form button[type=submit]");

        await Expect(page.Locator("#booking-result")).ToContainTextAsync("Confirmed");
    }

    [Fact]
    public async Task A_partner_clears_a_manifest_and_the_organisers_view_changes()
    {
        var organiser = GatewayProcess.Token("coordinator", "DE");
        var before = await Gateway.GetAsync("/api/v1/operations/demo-op-2", organiser);
        Assert.DoesNotContain(Clearances(before), c => c.Destination == "PK" && c.Cleared);

        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("partner", "PK"), "#/partner");
        var manifest = page.Locator("[data-manifest='demo-op-2']");
        await Expect(manifest).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("partner"), FullPage = true });
        await manifest.GetByRole(AriaRole.Button, new() { Name = "Clear manifest" }).ClickAsync();
        await Expect(manifest).ToContainTextAsync("Manifest cleared.");

        var after = await Gateway.GetAsync("/api/v1/operations/demo-op-2", organiser);
        Assert.Contains(Clearances(after), c => c.Destination == "PK" && c.Cleared);
        var organiserPage = await fixture.SignedInPageAsync(organiser, "#/organiser");
        await Expect(organiserPage.Locator("[data-organised='demo-op-2']")).ToContainTextAsync("Shared and cleared");
        await organiserPage.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("organiser"), FullPage = true });
    }

    [Fact]
    public async Task A_coordinator_names_its_staff_and_an_expired_document_is_explained()
    {
        // demo-op-2 is closed for booking; Germany (its organiser) has not named its staff yet (rule 6).
        var coordinator = GatewayProcess.Token("coordinator", "DE");
        var page = await fixture.SignedInPageAsync(coordinator, "#/coordinator");
        var staff = page.Locator("[data-staff='demo-op-2-de']");
        await staff.Locator("summary").ClickAsync();
        var references = staff.Locator("input[name=reference]");
        var dates = staff.Locator("input[name=validUntil]");
        var count = await references.CountAsync();
        Assert.True(count > 0, "the booking has staff seats");
        for (var i = 0; i < count; i++)
        {
            await references.Nth(i).FillAsync($"DE-SVC-{i + 1}");
            await dates.Nth(i).FillAsync("2001-01-31");
        }

        await staff.GetByRole(AriaRole.Button, new() { Name = "Save staff" }).ClickAsync();
        await Expect(staff).ToContainTextAsync("A valid travel document is missing or expires before departure.");
        for (var i = 0; i < count; i++)
        {
            await dates.Nth(i).FillAsync("2035-12-31");
        }
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save staff" }).ClickAsync();

        await Expect(staff).ToContainTextAsync($"Staff saved: {count} of {count} named.");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("coordinator-staff"), FullPage = true });
        var bookings = await Gateway.GetAsync("/api/v1/operations/demo-op-2/bookings", coordinator);
        var booking = bookings.GetProperty("items").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "demo-op-2-de");
        Assert.Equal(count, booking.GetProperty("namedStaff").GetInt32());
    }

    [Fact]
    public async Task A_monitors_incident_reaches_the_fundamental_rights_officer()
    {
        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("monitor", subject: "demo-monitor"), "#/monitor");
        var confirmed = page.Locator("[data-monitored='demo-op-3']");
        await Expect(confirmed).ToContainTextAsync("The monitor report is filed after departure.");
        await confirmed.GetByLabel("Category (for example use of force, medical, complaint)").FillAsync("use of force");
        await confirmed.GetByLabel("What happened").FillAsync("Restraint used at boarding; no injuries.");
        await confirmed.GetByLabel("Force was used").CheckAsync();
        await confirmed.GetByRole(AriaRole.Button, new() { Name = "Send to the fundamental-rights officer" }).ClickAsync();
        await Expect(confirmed).ToContainTextAsync("Sent as demo-op-3-incident-");

        var fro = await fixture.SignedInPageAsync(GatewayProcess.Token("fro"), "#/board");
        await Expect(fro.Locator("#notifications [data-type='incident.filed']").Filter(new() { HasText = "Restraint used at boarding; no injuries." }).First)
            .ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_coordinator_sees_a_suspended_returnee_refused_reinstatement_with_the_reason_and_cancels_the_booking()
    {
        var coordinator = GatewayProcess.Token("coordinator", "PL");
        var returnee = await AvailableReturnee(coordinator, forced: true);
        var (status, body) = await Gateway.PostAsync("/api/v1/operations/demo-op-1/bookings", coordinator,
            new { returnees = new[] { returnee }, escorts = 2, medical = 0, monitors = 0, interpreters = 0, observers = 0 });
        Assert.True(status == HttpStatusCode.Created, $"booking: {(int)status} {body}");
        var booking = body.GetProperty("id").GetString()!;
        // Rule 2: an appeal with suspensive effect suspends the seat at once.
        Assert.Equal(HttpStatusCode.OK, await Gateway.PatchAsync($"/api/v1/returnees/{returnee}", coordinator, new { appealPending = true, appealSuspensive = true }));

        var page = await fixture.SignedInPageAsync(coordinator, "#/coordinator");
        var row = page.Locator($"tr[data-booking='{booking}']");
        await Expect(row).ToContainTextAsync("1 returnee suspended");
        await row.GetByRole(AriaRole.Button, new() { Name = "Reinstate suspended" }).ClickAsync();
        await Expect(row).ToContainTextAsync("An appeal with suspensive effect is pending");
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel booking" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Confirm: cancel this booking" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Booking cancelled.");

        var bookings = await Gateway.GetAsync("/api/v1/operations/demo-op-1/bookings", coordinator);
        Assert.Equal("Cancelled", bookings.GetProperty("items").EnumerateArray().Single(b => b.GetProperty("id").GetString() == booking).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_organiser_shares_a_manifest_and_only_then_the_destination_can_see_it()
    {
        // An operation of its own, so the demo operations other tests book on stay as they are.
        var organiser = GatewayProcess.Token("coordinator", "AT");
        var partner = GatewayProcess.Token("partner", "NG");
        var departure = TimeProvider.System.GetUtcNow().AddDays(20);
        var (created, operation) = await Gateway.PostAsync("/api/v1/operations", organiser, new
        {
            type = "Joint", destinations = new[] { "NG" }, legs = new[] { new { from = "VIE", to = "LOS", departure } },
            seatCapacity = 40, bookingDeadline = departure.AddDays(-5),
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = operation.GetProperty("id").GetString()!;
        foreach (var to in new[] { "Announced", "BookingClosed" })
        {
            Assert.Equal(HttpStatusCode.OK, (await Gateway.PostAsync($"/api/v1/operations/{id}/status", organiser, new { to })).Status);
        }
        var partnerPage = await fixture.SignedInPageAsync(partner, "#/partner");
        await Expect(partnerPage.GetByRole(AriaRole.Heading, new() { Name = "Manifests to clear" })).ToBeVisibleAsync();
        await Expect(partnerPage.Locator($"[data-manifest='{id}']")).ToHaveCountAsync(0);

        var page = await fixture.SignedInPageAsync(organiser, "#/organiser");
        var row = page.Locator($"[data-organised='{id}']");
        await Expect(row).ToContainTextAsync("Not shared");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Share the manifest of {id} with the destinations" }).ClickAsync();
        await Expect(row).ToContainTextAsync("waiting for clearance by NG");

        await partnerPage.ReloadAsync();
        await Expect(partnerPage.Locator($"[data-manifest='{id}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Statistics_and_sign_in_pages_render_and_the_board_fits_a_narrow_screen()
    {
        var stats = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/statistics");
        await Expect(stats.Locator("figure.chart").First).ToBeVisibleAsync();
        await stats.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("statistics"), FullPage = true });

        var narrow = await fixture.SignedInPageAsync(GatewayProcess.Token("secretariat"), "#/board", width: 390);
        await Expect(narrow.Locator("tr[data-operation]").First).ToBeVisibleAsync();
        // Fits: the page does not scroll sideways at a phone's width (a wide table scrolls inside its own frame).
        var widths = await narrow.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"the board is {widths[0]} px wide in a {widths[1]} px viewport");
        await narrow.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("secretariat-board-narrow"), FullPage = true });

        var context = await fixture.Browser.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync(Gateway.Address.ToString());
        await Expect(signIn.GetByLabel("Access token")).ToBeVisibleAsync();
        await signIn.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("sign-in"), FullPage = true });
        // "Sign in" leads to the identity provider: in Development the demo one, offering the demo identities.
        await signIn.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(signIn.Locator(".identities a").First).ToBeVisibleAsync();
        await signIn.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("demo-identity-provider"), FullPage = true });
    }

    [Fact]
    public async Task A_bad_pasted_token_is_explained_and_pages_open_at_the_top_with_a_favicon()
    {
        var context = await fixture.Browser.NewContextAsync();
        var signIn = await context.NewPageAsync();
        var failures = new List<string>();
        signIn.Response += (_, response) => { if (response.Status >= 400) { failures.Add($"{response.Status} {response.Url}"); } };
        await signIn.GotoAsync(Gateway.Address.ToString());
        await signIn.GetByLabel("Access token").FillAsync("not a token");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in with this token", Exact = true }).ClickAsync();
        await Expect(signIn.Locator("#signin-problem")).ToContainTextAsync("This is not an access token");

        // Well formed, but signed with another key: the gateway refuses it on the first call and the page says so.
        var forged = GatewayProcess.Token("secretariat")[..^4] + "AAAA";
        await signIn.GetByLabel("Access token").FillAsync(forged);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in with this token", Exact = true }).ClickAsync();
        await Expect(signIn.Locator("#signin-problem")).ToContainTextAsync("The gateway refused this token");
        failures.RemoveAll(f => f.StartsWith("401 ", StringComparison.Ordinal) && f.Contains("/api/v1/", StringComparison.Ordinal));

        var page = await fixture.SignedInPageAsync(GatewayProcess.Token("coordinator", "AT"), "#/coordinator");
        await Expect(page.Locator("#booking-form")).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.scrollY"));
        using var favicon = await Gateway.Http.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Equal("image/x-icon", favicon.Content.Headers.ContentType?.MediaType);
        Assert.Empty(failures);
    }

    /// <summary>An available Nigerian returnee of the caller's country with no family group and no broken rule (the demo operations booked here fly to NG: rule 21).</summary>
    private async Task<string> AvailableReturnee(string token, bool? forced)
    {
        var list = await Gateway.GetAsync("/api/v1/returnees?status=Available&nationality=NG", token);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("id").GetString()!;
            var returnee = await Gateway.GetAsync($"/api/v1/returnees/{id}", token);
            var voluntary = returnee.GetProperty("voluntary").GetBoolean();
            var family = returnee.GetProperty("familyGroup").ValueKind == JsonValueKind.String;
            var clean = returnee.GetProperty("violations").GetArrayLength() == 0;
            if (!family && clean && (forced is null || forced == !voluntary))
            {
                return id;
            }
        }
        throw new InvalidOperationException("The demo data has no suitable available returnee.");
    }

    private static IEnumerable<(string Destination, bool Cleared)> Clearances(JsonElement operation) =>
        operation.TryGetProperty("clearances", out var list)
            ? list.EnumerateArray().Select(c => (c.GetProperty("destination").GetString()!, c.GetProperty("cleared").GetBoolean()))
            : [];
}
