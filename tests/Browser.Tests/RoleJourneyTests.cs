using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static ReturnOps.Browser.Tests.Journeys;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Issue 12: each role's whole job from the sign-in page through the pages only; the API is used only to check results.
/// </summary>
public sealed class RoleJourneyTests(BrowserFixture fixture)
{
    private GatewayProcess Gateway => fixture.Gateway;

    [Fact]
    public async Task An_organiser_creates_announces_closes_shares_and_confirms_its_operation()
    {
        var page = await SignInAsync(fixture, "Coordinator HR");
        var id = await PlanOperationAsync(page, ["NG", "PK", "GE"], "ZAG", "LOS");
        var card = Operation(page, id);
        await Expect(card).ToContainTextAsync("Opens booking to every participating state until the booking deadline.");
        await StepAsync(page, id, "Announce", "Announced");
        await Expect(card.Locator("[data-field=status]")).ToHaveTextAsync("Open for booking");

        await BookSinglesAsync(page, id, 1);
        await GoToAsync(page, "Operations we organise");
        await StepAsync(page, id, "Close booking", "BookingClosed");
        await ShareAsync(page, id);
        await card.GetByLabel("Monitor's user name").FillAsync("demo-monitor");
        await card.GetByRole(AriaRole.Button, new() { Name = "Assign monitor" }).ClickAsync();
        await Expect(card).ToContainTextAsync("demo-monitor");

        await card.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        var refused = card.Locator("[data-refused=Confirmed]");
        await Expect(refused).ToContainTextAsync("The destination has not cleared the manifest yet.");
        await Expect(refused).ToContainTextAsync("A valid travel document is missing or expires before departure.");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("organiser-refused-confirmation"), FullPage = true });

        await NameStaffAsync(page, id);
        await GoToAsync(page, "Operations we organise");
        await card.GetByLabel("Confirm without every destination's clearance").CheckAsync();
        await card.GetByLabel("Reason for the override").FillAsync("Destinations confirmed by phone on departure day");
        await StepAsync(page, id, "Confirm", "Confirmed");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Record departure" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("organiser-journey"), FullPage = true });
        await StepAsync(page, id, "Record departure", "Departed");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Cancel operation" })).ToHaveCountAsync(0);
        await card.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await Expect(page.Locator($"#organised-ended tr[data-organised='{id}']")).ToContainTextAsync("Completed");

        var operation = await Gateway.GetAsync($"/api/v1/operations/{id}", GatewayProcess.Token("coordinator", "HR"));
        Assert.Equal("Completed", operation.GetProperty("status").GetString());
        Assert.True(operation.GetProperty("manifestShared").GetBoolean());
        Assert.Equal("Destinations confirmed by phone on departure day", operation.GetProperty("overrideReason").GetString());
    }

    [Fact]
    public async Task An_organiser_cancels_only_with_a_reason_and_the_operation_moves_to_the_ended_list()
    {
        var page = await SignInAsync(fixture, "Coordinator SI");
        var id = await PlanOperationAsync(page, ["GE"], "LJU", "TBS");
        await StepAsync(page, id, "Announce", "Announced");
        var card = Operation(page, id);
        var reason = card.GetByLabel("Reason for cancelling (every participating state receives it)");

        await card.GetByRole(AriaRole.Button, new() { Name = "Cancel operation" }).ClickAsync();
        Assert.False(await reason.EvaluateAsync<bool>("input => input.validity.valid"), "an empty reason is refused by the form");
        await Expect(card).ToHaveAttributeAsync("data-status", "Announced");
        await reason.FillAsync("Charter withdrawn by the carrier");
        await card.GetByRole(AriaRole.Button, new() { Name = "Cancel operation" }).ClickAsync();
        await Expect(page.Locator($"#organised-ended tr[data-organised='{id}']")).ToContainTextAsync("Cancelled");
        await Expect(card).ToHaveCountAsync(0);

        var operation = await Gateway.GetAsync($"/api/v1/operations/{id}", GatewayProcess.Token("coordinator", "SI"));
        Assert.Equal("Cancelled", operation.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_coordinator_registers_by_form_and_by_CSV_books_a_family_and_sees_the_booking_after_closing()
    {
        var organiser = await SignInAsync(fixture, "Coordinator BE");
        var id = await PlanOperationAsync(organiser, ["NG", "PK", "GE"], "BRU", "LOS");
        await StepAsync(organiser, id, "Announce", "Announced");

        var page = await SignInAsync(fixture, "Coordinator CZ");
        await page.GetByText("Register a returnee").ClickAsync();
        var form = page.Locator("#register-form");
        await form.GetByLabel("Case reference (our own)").FillAsync("CZ-NEW-0001");
        await form.GetByLabel("Nationality").SelectOptionAsync("GE");
        await form.GetByLabel("Year of birth").FillAsync("1988");
        await form.GetByLabel("Sex (as in the travel document)").SelectOptionAsync("F");
        await form.GetByLabel("Family group (same label for every member)").FillAsync("cz-fam-new");
        await form.GetByLabel("Voluntary return").CheckAsync();
        var eligibility = page.Locator("#case-eligibility");
        await Expect(eligibility.Locator("[data-rule=travel-document]")).ToBeVisibleAsync();
        await form.GetByLabel("An appeal is pending").CheckAsync();
        await form.GetByLabel("The appeal has suspensive effect").CheckAsync();
        await Expect(eligibility.Locator("[data-rule=suspensive-appeal]")).ToBeVisibleAsync();
        await form.GetByLabel("The appeal has suspensive effect").UncheckAsync();
        await form.GetByLabel("Travel document valid until").FillAsync("2030-12-31");
        await Expect(eligibility).ToContainTextAsync("Eligible so far.");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("coordinator-register"), FullPage = true });
        await form.GetByRole(AriaRole.Button, new() { Name = "Register case" }).ClickAsync();
        await Expect(page.Locator("tr[data-returnee]").Filter(new() { HasText = "CZ-NEW-0001" })).ToBeVisibleAsync();

        const string header = "reference,nationality,birthYear,sex,familyGroup,decisionEnforceable,nonRefoulementCleared,travelDocumentValidUntil,voluntary";
        var broken = string.Join('\n', header, "CZ-NEW-0002,GE,2012,M,cz-fam-new,yes,yes,2030-12-31,yes", "CZ-NEW-0003,NG,1979,Q,,yes,yes,2030-12-31,yes");
        await page.GetByText("Register a returnee").ClickAsync();
        await ImportAsync(page, broken);
        await Expect(page.Locator("#import-refused")).ToContainTextAsync("Line 3: sex is F, M or X.");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("coordinator-import-refused"), FullPage = true });
        await ImportAsync(page, broken.Replace(",Q,", ",M,", StringComparison.Ordinal));
        await Expect(page.Locator("tr[data-returnee]").Filter(new() { HasText = "CZ-NEW-0003" })).ToBeVisibleAsync();

        // Rule 4: ticking one member ticks the family.
        var picker = page.Locator("#booking-form");
        await picker.Locator("#operation").SelectOptionAsync(id);
        var first = picker.Locator("tr[data-pick]").Filter(new() { HasText = "CZ-NEW-0001" });
        var second = picker.Locator("tr[data-pick]").Filter(new() { HasText = "CZ-NEW-0002" });
        await Expect(first).ToContainTextAsync("cz-fam-new (2 members here)");
        await Expect(first).ToContainTextAsync("Voluntary");
        await first.Locator("input[name=returnee]").CheckAsync();
        await Expect(second.Locator("input[name=returnee]")).ToBeCheckedAsync();
        await picker.GetByLabel("Escorts").FillAsync("0");
        await picker.GetByRole(AriaRole.Button, new() { Name = "Request seats" }).ClickAsync();
        await Expect(page.Locator("#booking-result")).ToContainTextAsync("Confirmed (2 seats)");

        await GoToAsync(organiser, "Operations we organise");
        await StepAsync(organiser, id, "Close booking", "BookingClosed");
        await page.ReloadAsync();
        var booking = page.Locator("#bookings tr[data-booking]").Filter(new() { HasText = id });
        await Expect(booking).ToContainTextAsync("Booking closed");
        await Expect(booking).ToContainTextAsync("Confirmed");
        await Expect(booking).ToContainTextAsync("2 returnees");
        await page.Locator("#filter-operation-status").SelectOptionAsync("Announced");
        await Expect(booking).ToBeHiddenAsync();
        await page.Locator("#filter-operation-status").SelectOptionAsync("BookingClosed");
        await Expect(booking).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("coordinator-bookings"), FullPage = true });

        var token = GatewayProcess.Token("coordinator", "CZ");
        var bookings = await Gateway.GetAsync($"/api/v1/operations/{id}/bookings", token);
        var only = Assert.Single(bookings.GetProperty("items").EnumerateArray());
        Assert.Equal(("Confirmed", 2), (only.GetProperty("status").GetString(), only.GetProperty("returneeCount").GetInt32()));
    }

    [Fact]
    public async Task A_partner_refuses_a_readmission_request_with_its_reason_and_rejects_one_person_on_a_manifest()
    {
        var organiser = await SignInAsync(fixture, "Coordinator SK");
        // To every nationality of the demo cases, so that any two singles are bookable (rule 21).
        var id = await PlanOperationAsync(organiser, ["NG", "PK", "GE"], "BTS", "LOS");
        await StepAsync(organiser, id, "Announce", "Announced");
        await BookSinglesAsync(organiser, id, 2);
        await GoToAsync(organiser, "Operations we organise");
        await StepAsync(organiser, id, "Close booking", "BookingClosed");
        await ShareAsync(organiser, id);

        var page = await SignInAsync(fixture, "Partner NG");
        var request = page.Locator("tr[data-request='demo-rr-3']");
        await Expect(request).ToContainTextAsync("BE-2026-0022");
        await request.GetByLabel("Reason", new() { Exact = true }).SelectOptionAsync("Nationality not confirmed");
        await request.GetByLabel("Particulars (optional)").FillAsync("no entry in the civil register");
        await request.GetByRole(AriaRole.Button, new() { Name = "Refuse" }).ClickAsync();
        await Expect(request).ToContainTextAsync("Refused — Nationality not confirmed: no entry in the civil register");

        var manifest = page.Locator($"[data-manifest='{id}']");
        await Expect(manifest.Locator("tr[data-entry]")).ToHaveCountAsync(2);
        await manifest.GetByLabel("Person 2").CheckAsync();
        await manifest.GetByLabel("Reason", new() { Exact = true }).SelectOptionAsync("No readmission accepted for this person");
        await manifest.GetByRole(AriaRole.Button, new() { Name = "Reject the ticked people" }).ClickAsync();
        await Expect(manifest).ToContainTextAsync("1 person rejected.");

        await page.ReloadAsync();
        await Expect(request).ToContainTextAsync("Refused — Nationality not confirmed: no entry in the civil register");
        await Expect(manifest.Locator($"[data-decision='{id}']")).ToHaveTextAsync("We rejected 1 person: No readmission accepted for this person.");
        await Expect(manifest.Locator("tr[data-entry]").Nth(1)).ToContainTextAsync("rejected by us");
        await Expect(manifest.Locator("tr[data-entry]").Nth(0)).Not.ToContainTextAsync("rejected by us");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("partner-journey"), FullPage = true });

        var partner = GatewayProcess.Token("partner", "NG");
        var answered = await Gateway.GetAsync("/api/v1/readmission-requests/demo-rr-3", partner);
        Assert.Equal("Refused", answered.GetProperty("request").GetProperty("status").GetString());
        var operation = await Gateway.GetAsync($"/api/v1/operations/{id}", GatewayProcess.Token("coordinator", "SK"));
        var clearance = Assert.Single(operation.GetProperty("clearances").EnumerateArray());
        Assert.False(clearance.GetProperty("cleared").GetBoolean());
        var rejected = Assert.Single(clearance.GetProperty("rejectedReturnees").EnumerateArray()).GetString()!;
        var onManifest = await Gateway.GetAsync($"/api/v1/operations/{id}/manifest", GatewayProcess.Token("coordinator", "SK"));
        Assert.Contains(rejected, onManifest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("returneeId").GetString()));
    }

    [Fact]
    public async Task A_monitor_files_one_report_and_one_incident_per_click()
    {
        var page = await SignInAsync(fixture, "Forced-return monitor");
        var completed = page.Locator("[data-monitored='demo-op-4']");
        await completed.GetByLabel("Summary of the operation from pre-departure to hand-over").FillAsync("Hand-over in Lagos without incident.");
        await completed.GetByRole(AriaRole.Button, new() { Name = "File report" }).ClickAsync();
        await Expect(completed).ToContainTextAsync("Report filed");
        await Expect(completed.GetByRole(AriaRole.Button, new() { Name = "File report" })).ToHaveCountAsync(0);

        var confirmed = page.Locator("[data-monitored='demo-op-3']");
        const string description = "Restraint used at boarding; no injuries (one click).";
        await confirmed.GetByLabel("Category (for example use of force, medical, complaint)").FillAsync("use of force");
        await confirmed.GetByLabel("What happened").FillAsync(description);
        await confirmed.GetByRole(AriaRole.Button, new() { Name = "Send to the fundamental-rights officer" }).DblClickAsync();
        await Expect(confirmed).ToContainTextAsync("Sent as demo-op-3-incident-");
        await Expect(confirmed.GetByLabel("What happened")).ToHaveValueAsync("");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("monitor"), FullPage = true });

        await page.ReloadAsync();
        await Expect(completed).ToContainTextAsync("The monitor report of this operation has been filed.");
        var (status, again) = await Gateway.PostAsync("/api/v1/operations/demo-op-4/monitor-report", GatewayProcess.Token("monitor", subject: "demo-monitor"),
            new { summary = "A second account.", issuesFound = false });
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {again}");
        Assert.Equal("one-monitor-report", again.GetProperty("rule").GetString());
        var feed = await Gateway.GetAsync("/api/v1/notifications?limit=200", GatewayProcess.Token("fro"));
        Assert.Single(feed.GetProperty("items").EnumerateArray(), n => n.GetProperty("data").ToString().Contains(description, StringComparison.Ordinal));
    }

    private static async Task ImportAsync(IPage page, string csv)
    {
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "cases.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.Locator("#import-form").GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
    }
}
