using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 12: a coordinator imports many cases from a CSV file; every broken line is reported and a broken file imports
/// nothing, on both storage providers.
/// </summary>
public sealed class ReturneeImportTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Header = "reference,nationality,birthYear,sex,familyGroup,decisionEnforceable,nonRefoulementCleared,travelDocumentValidUntil,vulnerabilities,voluntary";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_file_with_broken_lines_is_refused_whole_naming_each_line_and_changes_nothing(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var before = await DomainRows.SnapshotAsync(host);
        var csv = string.Join('\n', Header,
            "AT-IMP-1,AL,1990,M,,yes,yes,2030-12-31,,no",
            "AT-IMP-2,al,1990,Q,,yes,yes,2030-12-31,,no",
            "AT-IMP-3,AL,nineteen,M,,maybe,yes,31.12.2030,,no",
            "AT-IMP-1,AL,1991,F,,yes,yes,2030-12-31,,no");

        var refused = await host.PostAsync("/api/v1/returnees/import", at, new { csv });

        Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity, refused.ToString());
        Assert.Equal("validation", refused.Json.GetProperty("rule").GetString());
        var lines = refused.Json.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("detail").GetString()!).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("Line 3: ", lines[0]);
        Assert.Contains("sex is F, M or X", lines[0]);
        Assert.Contains("nationality is an ISO 3166 alpha-2 code", lines[0]);
        Assert.StartsWith("Line 4: ", lines[1]);
        Assert.Contains("birthYear is a year like 1990", lines[1]);
        Assert.Contains("decisionEnforceable is yes or no", lines[1]);
        Assert.Contains("travelDocumentValidUntil is a date like 2027-03-31", lines[1]);
        Assert.Equal("Line 5: reference AT-IMP-1 is already on line 2.", lines[2]);
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
    }

    /// <summary>Issue 23, defect 5: year 0 passed the file's check and was refused by the grain after the lines before it were stored.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_birth_year_of_0_or_00_is_a_broken_line_named_and_nothing_is_stored(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var before = await DomainRows.SnapshotAsync(host);
        var csv = string.Join('\n', "reference,nationality,birthYear,sex", "A1,RS,1990,M", "A2,RS,1991,F", "A3,RS,0,M", "A4,RS,00,F");

        var refused = await host.PostAsync("/api/v1/returnees/import", at, new { csv });

        Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity, refused.ToString());
        Assert.Equal("validation", refused.Json.GetProperty("rule").GetString());
        var lines = refused.Json.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("detail").GetString()!).ToList();
        Assert.Equal(["Line 4: a birth year from 1900 to 2100.", "Line 5: a birth year from 1900 to 2100."], lines);
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
    }

    /// <summary>Issue 23, defect 6: Excel's "CSV UTF-8" byte order mark and CR-only line ends.</summary>
    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public async Task A_byte_order_mark_is_dropped_and_every_line_end_is_read(string lineEnd)
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var csv = "\uFEFF" + string.Join(lineEnd, "reference,nationality,birthYear,sex", "AT-BOM-1,RS,1990,M", "\"AT-BOM-2, junior\",RS,1991,F", "AT-BOM-3,RS,1992,X") + lineEnd;

        var imported = await host.PostAsync("/api/v1/returnees/import", at, new { csv });

        Assert.True(imported.Status == HttpStatusCode.Created, imported.ToString());
        Assert.Equal(["AT-BOM-1", "AT-BOM-2, junior", "AT-BOM-3"],
            imported.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()));
        var broken = await host.PostAsync("/api/v1/returnees/import", at, new { csv = "\uFEFF" + string.Join(lineEnd, "reference,nationality,birthYear,sex", "X1,RS,1990,M", "X2,RS,1990") });
        Assert.True(broken.Status == HttpStatusCode.UnprocessableEntity, broken.ToString());
        Assert.Contains("Line 3: 3 values for 4 columns.", broken.Json.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_clean_file_imports_every_case_once_and_a_retry_with_its_key_adds_none(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var csv = string.Join("\r\n", Header,
            "AT-IMP-10,AL,1980,F,fam-imp,yes,yes,2030-12-31,pregnancy;health,no",
            "\"AT-IMP-11, junior\",AL,2010,M,fam-imp,yes,yes,2030-12-31,,no",
            "AT-IMP-12,RS,1975,M,,yes,no,,,yes", "");

        var imported = await host.PostAsync("/api/v1/returnees/import", at, new { csv }, idempotencyKey: "import-1");
        var again = await host.PostAsync("/api/v1/returnees/import", at, new { csv }, idempotencyKey: "import-1");

        Assert.True(imported.Status == HttpStatusCode.Created, imported.ToString());
        Assert.Equal(3, imported.Json.GetProperty("imported").GetInt32());
        var items = imported.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["AT-IMP-10", "AT-IMP-11, junior", "AT-IMP-12"], items.Select(i => i.GetProperty("reference").GetString()));
        Assert.Equal(["pregnancy", "health"], items[0].GetProperty("vulnerabilities").EnumerateArray().Select(v => v.GetString()));
        Assert.True(items[2].GetProperty("voluntary").GetBoolean());
        Assert.Equal(imported.Body, again.Body);
        var list = await host.GetAsync("/api/v1/returnees", at);
        var ids = list.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToHashSet();
        Assert.All(items, i => Assert.Contains(i.GetProperty("id").GetString(), ids));
        Assert.Equal(3, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
    }
}
