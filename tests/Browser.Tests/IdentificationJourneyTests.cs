using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static ReturnOps.Browser.Tests.Journeys;

namespace ReturnOps.Browser.Tests;

/// <summary>Rule 17 on the partner page: a destination refuses one identification and records the document of another.</summary>
public sealed class IdentificationJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_partner_refuses_an_identification_with_its_reason_and_records_a_travel_document()
    {
        var page = await SignInAsync(fixture, "Partner PK");
        var waiting = page.Locator("tr[data-identification='demo-ir-1']");
        await Expect(waiting).ToContainTextAsync("AT-2026-0022");
        await waiting.GetByLabel("Reason", new() { Exact = true }).SelectOptionAsync("IdentityNotEstablished");
        await waiting.GetByLabel("Why").FillAsync("fingerprints match no record");
        await waiting.GetByRole(AriaRole.Button, new() { Name = "Refuse" }).ClickAsync();
        await Expect(waiting).ToContainTextAsync("Refused — Identity not established: fingerprints match no record");

        var confirmed = page.Locator("tr[data-identification='demo-ir-2']");
        var validUntil = TimeProvider.System.GetUtcNow().AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await confirmed.GetByLabel("Kind").SelectOptionAsync("EmergencyTravelDocument");
        await confirmed.GetByLabel("Number").FillAsync("PK-ETD-4411");
        await confirmed.GetByLabel("Valid until").FillAsync(validUntil);
        await confirmed.GetByRole(AriaRole.Button, new() { Name = "Record the document" }).ClickAsync();
        await Expect(confirmed).ToContainTextAsync($"Emergency travel document PK-ETD-4411 issued, valid until {validUntil}");

        await page.ReloadAsync();
        await Expect(waiting).ToContainTextAsync("Refused — Identity not established");
        await Expect(confirmed).ToContainTextAsync("PK-ETD-4411 issued");
        var returnee = await fixture.Gateway.GetAsync("/api/v1/returnees/demo-de-019", GatewayProcess.Token("coordinator", "DE"));
        Assert.Equal(validUntil, returnee.GetProperty("travelDocumentValidUntil").GetString());
    }
}
