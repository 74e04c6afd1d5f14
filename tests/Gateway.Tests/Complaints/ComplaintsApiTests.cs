using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Gateway.Complaints;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Complaints;

/// <summary>
/// Rule 24's public channel: anyone complains without an account and sees the status by the tracking code, nothing more; only the
/// fundamental-rights officer reads and acts; bad input, oversize bodies and floods are refused before anything is stored.
/// </summary>
public sealed class ComplaintsApiTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Complaints = "/api/v1/complaints";
    private const string Hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> see https://evil.example/x";

    private static object Form(string text = Hostile, string language = "ar", string happenedOn = "2026-11-20") => new
    {
        complainant = "Witness", whatHappened = text, happenedOn, operationId = "the flight VIE-TIA of 30 November", contact = "witness@example.org", language,
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Anonymous_complaint_answers_a_tracking_code_that_shows_the_status_and_nothing_more(string provider)
    {
        var host = await StartAsync(provider);
        var sent = await host.PostAsync(Complaints, null, Form());
        Assert.Equal(HttpStatusCode.Created, sent.Status);
        var code = sent.Json.GetProperty("trackingCode").GetString()!;
        // 128 random bits: 26 characters of base32 in groups.
        Assert.Equal(26, code.Replace("-", "", StringComparison.Ordinal).Length);

        var tracked = await host.GetAsync($"/api/v1/complaint-tracking/{code}", null);
        Assert.Equal(HttpStatusCode.OK, tracked.Status);
        Assert.Equal("""{"status":"Received"}""", tracked.Body);
        Assert.Equal("no-store", tracked.Header("Cache-Control"));
        // Typed by hand: case, dashes and spaces do not matter.
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/api/v1/complaint-tracking/{code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}", null)).Status);
        var other = code[..^1] + (code[^1] == '0' ? '1' : '0');
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/complaint-tracking/{other}", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/api/v1/complaint-tracking/not-a-code", null)).Status);

        // The text is kept as written (never interpreted) and only its hash stands for the code.
        var complaint = (await host.GetAsync(Complaints, host.Token("fro"))).Json.EnumerateArray().Single();
        Assert.Equal(Hostile, complaint.GetProperty("whatHappened").GetString());
        Assert.Equal("Witness", complaint.GetProperty("complainant").GetString());
        Assert.DoesNotContain(code, (await host.GetAsync(Complaints, host.Token("fro"))).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_only_the_fro_reads_and_acts_and_anonymous_callers_only_submit_and_track()
    {
        var host = await StartAsync();
        var id = await SubmitAsync(host);
        var callers = new Dictionary<string, string?>
        {
            ["anonymous"] = null,
            ["coordinator"] = host.Token("coordinator", "AT"),
            ["partner"] = host.Token("partner", "AL"),
            ["secretariat"] = host.Token("secretariat"),
            ["monitor"] = host.Token("monitor"),
            ["admin"] = host.Token("admin"),
            ["provider"] = host.ProviderToken("al-tirana-reintegration"),
        };
        foreach (var (name, token) in callers)
        {
            var expected = token is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            Assert.True(expected == (await host.GetAsync(Complaints, token)).Status, $"{name} listed complaints");
            Assert.True(expected == (await host.GetAsync($"{Complaints}/{id}", token)).Status, $"{name} read a complaint");
            Assert.True(expected == (await host.PostAsync($"{Complaints}/{id}/answer", token, new { text = "x" })).Status, $"{name} answered");
            Assert.True(expected == (await host.PostAsync($"{Complaints}/{id}/forward", token, new { country = "AT" })).Status, $"{name} forwarded");
            Assert.True(expected == (await host.PostAsync($"{Complaints}/{id}/close", token, new { reason = "x" })).Status, $"{name} closed");
            Assert.True(expected == (await host.SendAsync(HttpMethod.Delete, $"{Complaints}/{id}", token)).Status, $"{name} erased");
        }
        var fro = host.Token("fro");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"{Complaints}/{id}", fro)).Status);
        Assert.Equal("Received", (await host.GetAsync($"{Complaints}/{id}", fro)).Json.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"{Complaints}/complaint-unknown", fro)).Status);
    }

    [Fact]
    public async Task The_fro_answers_forwards_to_a_member_state_and_closes_and_the_tracking_code_follows()
    {
        var host = await StartAsync();
        var fro = host.Token("fro");
        var code = (await host.PostAsync(Complaints, null, Form())).Json.GetProperty("trackingCode").GetString()!;
        var id = (await host.GetAsync(Complaints, fro)).Json[0].GetProperty("id").GetString()!;
        async Task<string?> TrackedAsync() => (await host.GetAsync($"/api/v1/complaint-tracking/{code}", null)).Json.GetProperty("status").GetString();

        var answered = await host.PostAsync($"{Complaints}/{id}/answer", fro, new { text = "We are looking into it." });
        Assert.Equal("Answered", answered.Json.GetProperty("status").GetString());
        Assert.Equal("Answered", await TrackedAsync());

        // A third country is not the member state concerned; the refusal changes nothing.
        var refused = await host.PostAsync($"{Complaints}/{id}/forward", fro, new { country = "NG" });
        Assert.Equal(422, refused.Code);
        Assert.Equal("Answered", await TrackedAsync());
        var forwarded = await host.PostAsync($"{Complaints}/{id}/forward", fro, new { country = "AT" });
        Assert.Equal("Forwarded", forwarded.Json.GetProperty("status").GetString());
        Assert.Equal("AT", forwarded.Json.GetProperty("forwardedTo").GetString());

        Assert.Equal("Closed", (await host.PostAsync($"{Complaints}/{id}/close", fro, new { reason = "Handled by Austria." })).Json.GetProperty("status").GetString());
        Assert.Equal("Closed", await TrackedAsync());
        var late = await host.PostAsync($"{Complaints}/{id}/answer", fro, new { text = "again" });
        Assert.Equal(409, late.Code);
        Assert.Equal("invalid-transition", late.Json.GetProperty("rule").GetString());
        Assert.Equal(1, (await host.GetAsync($"{Complaints}?status=Closed", fro)).Json.GetArrayLength());
        Assert.Equal(0, (await host.GetAsync($"{Complaints}?status=Received", fro)).Json.GetArrayLength());
        Assert.Equal(400, (await host.GetAsync($"{Complaints}?status=closed", fro)).Code);
    }

    [Fact]
    public async Task Bad_or_oversize_forms_are_refused_with_a_problem_and_store_nothing()
    {
        // Refused forms spend the address's permits too (a flood of bad forms is a flood): more than this test sends.
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Complaints:PermitsPerAddress"] = "20" });
        Assert.Equal(422, (await host.PostAsync(Complaints, null, Form(language: "de"))).Code);
        Assert.Equal(422, (await host.PostAsync(Complaints, null, Form(text: "   "))).Code);
        Assert.Equal(422, (await host.PostAsync(Complaints, null, Form(text: new string('x', ComplaintLimits.MaxDescription + 1)))).Code);
        Assert.Equal(422, (await host.PostAsync(Complaints, null, Form(happenedOn: "2099-01-01"))).Code);
        Assert.Equal(400, (await host.PostAsync(Complaints, null, new { complainant = "Officer", whatHappened = "x", happenedOn = "2026-11-30", language = "en" })).Code);
        // Past the form's own body limit (far below the gateway's): 413 before the body is read.
        var oversize = await host.PostAsync(Complaints, null, new { complainant = "Person", whatHappened = new string('x', 60_000), happenedOn = "2026-11-30", language = "en" });
        Assert.Equal(413, oversize.Code);
        Assert.Equal("application/problem+json", oversize.ContentHeaders?.ContentType?.MediaType);
        Assert.Equal(0, (await host.GetAsync(Complaints, host.Token("fro"))).Json.GetArrayLength());
        // At the limit the account is taken, in a script JSON escapes to six bytes a character.
        Assert.Equal(201, (await host.PostAsync(Complaints, null, Form(text: new string('ش', ComplaintLimits.MaxDescription)))).Code);
    }

    [Fact]
    public async Task Complaints_per_address_are_limited_and_the_rest_of_the_api_is_not()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Complaints:PermitsPerAddress"] = "2" });
        Assert.Equal(201, (await host.PostAsync(Complaints, null, Form())).Code);
        Assert.Equal(201, (await host.PostAsync(Complaints, null, Form())).Code);
        var third = await host.PostAsync(Complaints, null, Form());
        Assert.Equal(429, third.Code);
        Assert.NotNull(third.Header("Retry-After"));
        Assert.Equal(2, (await host.GetAsync(Complaints, host.Token("fro"))).Json.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/api/v1/complaint-tracking/0000000000000000000000000A", null)).Status);
    }

    [Fact]
    public async Task Complaints_from_everyone_together_are_limited()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Complaints:PermitsPerAddress"] = "100", ["Complaints:GlobalPermits"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(201, (await host.PostAsync(Complaints, null, Form())).Code);
        }
        Assert.Equal(429, (await host.PostAsync(Complaints, null, Form())).Code);
    }

    [Fact]
    public async Task Retention_erases_a_closed_complaints_personal_data_after_the_period_and_the_fro_can_erase_at_once()
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(clock: clock, settings: new Dictionary<string, string?> { ["Complaints:RetentionDays"] = "30" });
        var fro = host.Token("fro");
        var closed = await SubmitAsync(host);
        var open = await SubmitAsync(host);
        await host.PostAsync($"{Complaints}/{closed}/close", fro, new { reason = "Unfounded." });
        var store = host.Services.GetRequiredService<ComplaintStore>();

        clock.Advance(TimeSpan.FromDays(29));
        await store.EraseExpiredAsync(CancellationToken.None);
        Assert.Equal(Hostile, (await host.GetAsync($"{Complaints}/{closed}", fro)).Json.GetProperty("whatHappened").GetString());

        clock.Advance(TimeSpan.FromDays(2));
        await store.EraseExpiredAsync(CancellationToken.None);
        var erased = (await host.GetAsync($"{Complaints}/{closed}", fro)).Json;
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("whatHappened").ValueKind);
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("contact").ValueKind);
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("operationId").ValueKind);
        Assert.Equal("Closed", erased.GetProperty("status").GetString());
        Assert.Equal("ar", erased.GetProperty("language").GetString());
        // An open complaint is still being handled: kept.
        Assert.Equal(Hostile, (await host.GetAsync($"{Complaints}/{open}", fro)).Json.GetProperty("whatHappened").GetString());

        Assert.Equal(204, (await host.SendAsync(HttpMethod.Delete, $"{Complaints}/{open}", fro)).Code);
        var now = (await host.GetAsync($"{Complaints}/{open}", fro)).Json;
        Assert.Equal(JsonValueKind.Null, now.GetProperty("whatHappened").ValueKind);
        Assert.Equal("Closed", now.GetProperty("status").GetString());
        Assert.Equal(409, (await host.PostAsync($"{Complaints}/{open}/answer", fro, new { text = "x" })).Code);
    }

    [Fact]
    public void Every_form_language_has_a_catalogue_with_every_message_and_a_direction()
    {
        var folder = Path.Combine(RepositoryFiles.Root(), "src", "Gateway", "wwwroot", "i18n", "complaint");
        var english = Catalogue("en");
        foreach (var language in ComplaintLanguages.All)
        {
            var catalogue = Catalogue(language);
            Assert.Equal(english.Keys.Order(), catalogue.Keys.Order());
            var meta = catalogue["@metadata"];
            Assert.Equal(ComplaintLanguages.RightToLeft.Contains(language) ? "rtl" : "ltr", meta.GetProperty("dir").GetString());
            if (language != "en")
            {
                Assert.Contains("not yet reviewed by a native speaker", meta.GetProperty("note").GetString(), StringComparison.Ordinal);
            }
        }
        Assert.Equal(ComplaintLanguages.All.Order(), Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order());

        Dictionary<string, JsonElement> Catalogue(string language) =>
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(Path.Combine(folder, language + ".json")))!;
    }

    /// <summary>The new complaint's id: the one the list did not have before (on a fake clock several share a received time).</summary>
    private static async Task<string> SubmitAsync(GatewayHost host)
    {
        async Task<string[]> IdsAsync() =>
            (await host.GetAsync(Complaints, host.Token("fro"))).Json.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
        var before = await IdsAsync();
        Assert.Equal(201, (await host.PostAsync(Complaints, null, Form())).Code);
        return (await IdsAsync()).Except(before).Single();
    }
}
