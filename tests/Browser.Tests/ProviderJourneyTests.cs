using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// Rule 18 in the provider's page: a referral made with the returnee's consent appears with the little it may know of the
/// person, the provider records its steps there, and once consent is withdrawn the page shows nothing of the person.
/// </summary>
public sealed class ProviderJourneyTests(BrowserFixture fixture)
{
    private const string Tirana = "al-tirana-reintegration";

    private GatewayProcess Gateway => fixture.Gateway;

    [Fact]
    public async Task A_provider_accepts_a_referral_in_its_page_and_sees_nothing_of_the_person_once_consent_is_withdrawn()
    {
        var coordinator = GatewayProcess.Token("coordinator", "AT");
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (created, returnee) = await Gateway.PostAsync("/api/v1/returnees", coordinator, new
        {
            reference = "AT-provider-journey", nationality = "AL", birthYear = 1987, sex = "F", unaccompaniedMinor = false,
            decisionEnforceable = true, appealPending = false, appealSuspensive = false, nonRefoulementCleared = true,
            travelDocumentValidUntil = "2030-12-31", medicalFlag = false, vulnerabilities = new[] { "pregnancy" }, voluntary = true,
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = returnee.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await Gateway.PutAsync($"/api/v1/returnees/{id}/reintegration/consent", coordinator,
            new { givenOn = today, scope = "Referral to a reintegration provider in Albania" }));
        var (referred, referral) = await Gateway.PostAsync($"/api/v1/returnees/{id}/reintegration-referrals", coordinator, new { providerId = Tirana });
        Assert.Equal(HttpStatusCode.Created, referred);
        var referralId = referral.GetProperty("id").GetString()!;

        var page = await fixture.SignedInPageAsync(GatewayProcess.ProviderToken(Tirana), "#/provider");
        var row = page.Locator($"tr[data-referral='{referralId}']");
        await Expect(row).ToContainTextAsync("AL national, born 1987, female; voluntary return");
        await Expect(row).ToContainTextAsync("Needs: pregnancy");
        await Expect(row).Not.ToContainTextAsync("AT-provider-journey");

        await row.GetByLabel("Step").SelectOptionAsync("Accept");
        await row.GetByRole(AriaRole.Button, new() { Name = "Record step" }).ClickAsync();
        await Expect(page.Locator($"tr[data-referral='{referralId}']")).ToContainTextAsync("Accept on " + today);

        Assert.Equal(HttpStatusCode.OK, (await Gateway.PostAsync($"/api/v1/returnees/{id}/reintegration/consent/withdrawal", coordinator,
            new { withdrawnOn = today })).Status);
        await page.ReloadAsync();
        var stopped = page.Locator($"tr[data-referral='{referralId}']");
        await Expect(stopped).ToContainTextAsync("Consent withdrawn: nothing is shared any more");
        await Expect(stopped).Not.ToContainTextAsync("born 1987");
        // Last: the check closes the page.
        await AccessibilityTests.AssertNoViolations(page, "provider (referrals)");
    }
}
