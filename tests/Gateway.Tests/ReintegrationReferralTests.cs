using System.Globalization;
using System.Net;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Rule 18 through the API: the provider sees only what the referral needs, and nothing of the person once consent is withdrawn;
/// the steps are recorded with their dates; the counts survive the withdrawal and reach the statistics.
/// </summary>
public sealed class ReintegrationReferralTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Tirana = "al-tirana-reintegration";

    [Fact]
    public async Task A_provider_reads_the_person_until_consent_is_withdrawn_and_then_nothing_while_the_counts_stay()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var provider = host.ProviderToken(Tirana);
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{Tirana}", host.Token("admin"), new { country = "AL", name = "Tirana Reintegration Service" }));
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RI-1");

        var early = await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana });
        Assert.True(early.Status == HttpStatusCode.UnprocessableEntity, early.ToString());
        Assert.Equal("reintegration-consent", early.Json.GetProperty("rule").GetString());
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at,
            new { givenOn = today, scope = "Referral to a provider in Albania" }));
        var created = await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana });
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var id = created.Json.GetProperty("id").GetString()!;

        var before = await host.GetAsync($"/api/v1/reintegration-referrals/{id}", provider);
        Ok(before);
        var person = before.Json.GetProperty("person");
        Assert.Equal(["nationality", "birthYear", "sex", "voluntary", "vulnerabilities"], person.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("AT-RI-1", before.Body);
        Ok(await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step = "Accept", on = today }));
        Ok(await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step = "Reception", on = today }));
        var listed = await host.GetAsync("/api/v1/reintegration-referrals", provider);
        Assert.Equal(id, Assert.Single(listed.Json.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        Ok(await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration/consent/withdrawal", at, new { withdrawnOn = today }));

        var after = await host.GetAsync($"/api/v1/reintegration-referrals/{id}", provider);
        Ok(after);
        Assert.Equal(JsonValueKind.Null, after.Json.GetProperty("person").ValueKind);
        Assert.Equal("Stopped", after.Json.GetProperty("referral").GetProperty("status").GetString());
        var step = await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step = "Plan", on = today, note = "shop" });
        Assert.True(step.Status == HttpStatusCode.Conflict, step.ToString());
        Assert.Equal("invalid-transition", step.Json.GetProperty("rule").GetString());
        var feed = await host.GetAsync("/api/v1/notifications", provider);
        Assert.Contains("reintegration.referred", feed.Body);
        Assert.Contains("reintegration.stopped", feed.Body);

        var statistics = await host.GetAsync("/api/v1/statistics/reintegration", host.Token("secretariat"));
        var row = Assert.Single(statistics.Json.GetProperty("byStateAndDestination").EnumerateArray());
        Assert.Equal(("AT", "AL", 1, 1, 1), (row.GetProperty("state").GetString(), row.GetProperty("destination").GetString(),
            row.GetProperty("referrals").GetInt64(), row.GetProperty("accepted").GetInt64(), row.GetProperty("stopped").GetInt64()));
        var others = await host.GetAsync("/api/v1/statistics/reintegration", host.Token("coordinator", "HR"));
        Assert.Equal(0, others.Json.GetProperty("referrals").GetInt64());
    }

    [Fact]
    public async Task Steps_carry_exact_amounts_and_the_statistics_add_them_to_the_cent()
    {
        var host = await StartAsync("Postgres");
        var at = host.Token("coordinator", "AT");
        var provider = host.ProviderToken(Tirana);
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{Tirana}", host.Token("admin"), new { country = "AL", name = "Tirana" }));
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RI-2");
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at, new { givenOn = today, scope = "Referral" }));
        var id = (await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana })).Json.GetProperty("id").GetString();
        foreach (var body in new object[]
        {
            new { step = "Accept", on = today }, new { step = "Reception", on = today }, new { step = "Plan", on = today, note = "Bakery" },
            new { step = "Assistance", on = today, kind = "Cash", amountEur = 0.10m }, new { step = "Assistance", on = today, kind = "InKind", amountEur = 0.20m },
        })
        {
            Ok(await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, body));
        }
        var badAmount = await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step = "Assistance", on = today, kind = "Cash", amountEur = 0.001m });
        Assert.True(badAmount.Status == HttpStatusCode.UnprocessableEntity, badAmount.ToString());

        var statistics = (await host.GetAsync("/api/v1/statistics/reintegration", host.Token("secretariat"))).Json;
        Assert.Equal(0.30m, statistics.GetProperty("assistanceEur").GetDecimal());
        var row = Assert.Single(statistics.GetProperty("byStateAndDestination").EnumerateArray());
        Assert.Equal((2, 0.10m, 0.20m), (row.GetProperty("assistanceDeliveries").GetInt64(), row.GetProperty("cashEur").GetDecimal(), row.GetProperty("inKindEur").GetDecimal()));
        var mine = await host.GetAsync($"/api/v1/returnees/{returnee}/reintegration", at);
        Assert.Equal(["Refer", "Accept", "Reception", "Plan", "Assistance", "Assistance"],
            mine.Json.GetProperty("referrals")[0].GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));

        // Erasure (rule 15) takes the person and the plan's text from the referral; the outcomes keep counting.
        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/returnees/{returnee}", at)).Status);
        var erased = await host.GetAsync($"/api/v1/reintegration-referrals/{id}", provider);
        Ok(erased);
        Assert.Equal(JsonValueKind.Null, erased.Json.GetProperty("person").ValueKind);
        Assert.Equal(JsonValueKind.Null, erased.Json.GetProperty("referral").GetProperty("planSummary").ValueKind);
        Assert.True(erased.Json.GetProperty("referral").GetProperty("erased").GetBoolean());
        Assert.DoesNotContain("Bakery", erased.Body);
        var kept = (await host.GetAsync("/api/v1/statistics/reintegration", host.Token("secretariat"))).Json;
        Assert.Equal((1, 0.30m), (kept.GetProperty("referrals").GetInt64(), kept.GetProperty("assistanceEur").GetDecimal()));
    }

    [Fact]
    public async Task A_provider_token_names_one_provider_and_no_country_and_opens_nothing_else()
    {
        var host = await StartAsync();
        var provider = host.ProviderToken(Tirana);
        var bare = host.Tokens.Issue("worker", "provider", null);
        var withCountry = host.Tokens.Issue("worker", "provider", "AL", provider: Tirana);
        var coordinatorWithProvider = host.Tokens.Issue("clerk", "coordinator", "AT", provider: Tirana);

        foreach (var refused in new[] { bare, withCountry, coordinatorWithProvider })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/api/v1/reintegration-referrals", refused)).Status);
        }
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/reintegration-referrals", provider)).Status);
        // The fallback policy admits every role but the provider: operations, cases and countries are not its business.
        foreach (var path in new[] { "/api/v1/operations", "/api/v1/countries", "/api/v1/returnees", "/api/v1/reintegration-providers" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync(path, provider)).Status);
        }
        var issuer = new ReturnOps.Gateway.Auth.TrustedIssuer { Issuer = "https://idp.al", Roles = ["provider"], Providers = [Tirana] };
        Assert.Null(issuer.Refusal("provider", null, Tirana));
        Assert.NotNull(issuer.Refusal("provider", null, "rs-belgrade-reintegration"));
    }

    /// <summary>Issue 23, defect 1: new consent opens new referrals only; a stopped one stays dark.</summary>
    [Fact]
    public async Task Consent_given_anew_does_not_share_the_person_through_a_stopped_referral()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var provider = host.ProviderToken(Tirana);
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{Tirana}", host.Token("admin"), new { country = "AL", name = "Tirana" }));
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RI-3");
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at, new { givenOn = today, scope = "Referral" }));
        var stopped = (await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana })).Json.GetProperty("id").GetString()!;
        Ok(await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration/consent/withdrawal", at, new { withdrawnOn = today }));

        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at, new { givenOn = today, scope = "A new referral" }));

        var old = await host.GetAsync($"/api/v1/reintegration-referrals/{stopped}", provider);
        Ok(old);
        Assert.Equal(JsonValueKind.Null, old.Json.GetProperty("person").ValueKind);
        Assert.Equal("Stopped", old.Json.GetProperty("referral").GetProperty("status").GetString());
        var renewed = await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana });
        Assert.True(renewed.Status == HttpStatusCode.Created, renewed.ToString());
        var fresh = await host.GetAsync($"/api/v1/reintegration-referrals/{renewed.Json.GetProperty("id").GetString()}", provider);
        Assert.Equal("AL", fresh.Json.GetProperty("person").GetProperty("nationality").GetString());
    }

    /// <summary>Issue 23, defect 2: a stored step answer carried the person; after the withdrawal a retry must not replay it.</summary>
    [Fact]
    public async Task A_step_replayed_after_consent_is_withdrawn_does_not_show_the_person()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var provider = host.ProviderToken(Tirana);
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{Tirana}", host.Token("admin"), new { country = "AL", name = "Tirana" }));
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RI-4");
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at, new { givenOn = today, scope = "Referral" }));
        var id = (await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana })).Json.GetProperty("id").GetString()!;
        var accepted = await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step = "Accept", on = today }, idempotencyKey: "accept-1");
        Assert.Equal(JsonValueKind.Object, accepted.Json.GetProperty("person").ValueKind);
        Ok(await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration/consent/withdrawal", at, new { withdrawnOn = today }));

        var retried = await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step = "Accept", on = today }, idempotencyKey: "accept-1");

        Assert.True(retried.Status == HttpStatusCode.Conflict, retried.ToString());
        Assert.Equal("invalid-transition", retried.Json.GetProperty("rule").GetString());
        Assert.Null(retried.Header("Idempotent-Replayed"));
        Assert.DoesNotContain("nationality", retried.Body);
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency WHERE body LIKE '%\"person\":{%'"));
        var after = await host.GetAsync($"/api/v1/reintegration-referrals/{id}", provider);
        Assert.Equal("Stopped", after.Json.GetProperty("referral").GetProperty("status").GetString());
        Assert.Equal(["Refer", "Accept"], after.Json.GetProperty("referral").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
    }

    /// <summary>Issue 23, defect 8: an assistance amount with more digits than a decimal keeps was rounded to 2.01 and stored.</summary>
    [Fact]
    public async Task An_assistance_amount_not_exactly_in_cents_is_422_and_records_nothing()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var provider = host.ProviderToken(Tirana);
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{Tirana}", host.Token("admin"), new { country = "AL", name = "Tirana" }));
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RI-5");
        Ok(await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{returnee}/reintegration/consent", at, new { givenOn = today, scope = "Referral" }));
        var id = (await host.PostAsync($"/api/v1/returnees/{returnee}/reintegration-referrals", at, new { providerId = Tirana })).Json.GetProperty("id").GetString()!;
        foreach (var step in new[] { "Accept", "Reception" })
        {
            Ok(await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider, new { step, on = today }));
        }
        var before = await DomainRows.SnapshotAsync(host);

        var refused = await host.PostAsync($"/api/v1/reintegration-referrals/{id}/steps", provider,
            $"{{\"step\":\"Assistance\",\"on\":\"{today}\",\"kind\":\"Cash\",\"amountEur\":2.0099999999999999999999999999999}}");

        Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity, refused.ToString());
        Assert.Equal("validation", refused.Json.GetProperty("rule").GetString());
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
    }

    private static void Ok(Answer answer) => Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
}
