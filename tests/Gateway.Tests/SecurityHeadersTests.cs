using System.Text.RegularExpressions;
using ReturnOps.Gateway.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Issue 11, defect 4: the pages and the API answered without a Content-Security-Policy or nosniff.</summary>
public sealed partial class SecurityHeadersTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task Every_answer_carries_the_strict_policy_nosniff_and_no_referrer()
    {
        var host = await StartAsync();
        var answers = new Dictionary<string, Answer>
        {
            ["anonymous 200"] = await host.GetAsync("/health/live", null),
            ["api 200"] = await host.GetAsync("/api/v1/countries", host.Token("secretariat")),
            ["401 problem"] = await host.GetAsync("/api/v1/countries", null),
            ["403 problem"] = await host.GetAsync("/api/v1/returnees", host.Token("partner", "AL")),
            ["404"] = await host.GetAsync("/no/such/page", host.Token("secretariat")),
            ["openapi"] = await host.GetAsync("/openapi/v1.json", null),
        };
        Assert.All(answers, a =>
        {
            Assert.True(SecurityHeaders.ContentSecurityPolicy == a.Value.Header("Content-Security-Policy"), a.Key + ": " + a.Value.Header("Content-Security-Policy"));
            Assert.True(a.Value.Header("X-Content-Type-Options") == "nosniff", a.Key);
            Assert.True(a.Value.Header("Referrer-Policy") == "no-referrer", a.Key);
        });
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.ContentSecurityPolicy);
    }

    /// <summary>The policy allows no inline script, style or event handler: the pages must not need any.</summary>
    [Fact]
    public void The_pages_use_no_inline_script_style_or_event_handler()
    {
        var wwwroot = Path.Combine(RepositoryFiles.Root(), "src", "Gateway", "wwwroot");
        var files = Directory.EnumerateFiles(wwwroot, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        var offences = files
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetRelativePath(wwwroot, f), Line: i + 1, Text: line)))
            .Where(l => InlineScript().IsMatch(l.Text) || InlineStyle().IsMatch(l.Text) || EventHandler().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }


    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style\b|\bstyle\s*=\s*[""']|[{,]\s*style\s*:|setAttribute\(\s*['""]style|\.innerHTML\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
