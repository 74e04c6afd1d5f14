using System.Net;
using ReturnOps.Gateway.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Issue 14: the API reference for integrators, and Orleans' dashboard for admins only.</summary>
public sealed class OperatorToolsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task The_API_reference_is_served_from_here_under_a_policy_relaxed_for_its_path_only()
    {
        var host = await StartAsync();
        // With the slash: the page names its bundle relative to itself.
        var page = await host.GetAsync(ApiReference.Path + "/", null);
        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        Assert.Contains("\"url\":\"openapi/v1.json\"", page.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(ApiReference.Path + "/scalar.js", null)).Status);
        // Nothing from Scalar's servers: its bundle is served by the gateway.
        Assert.DoesNotContain("cdn.jsdelivr.net", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.scalar.com", page.Body, StringComparison.Ordinal);

        var policy = page.Header("Content-Security-Policy")!;
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal(SecurityHeaders.ApiReferencePolicy(nonce), policy);
        Assert.Contains($"nonce=\"{nonce}\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
        Assert.NotEqual(nonce, System.Text.RegularExpressions.Regex.Match((await host.GetAsync(ApiReference.Path + "/", null)).Header("Content-Security-Policy")!, "'nonce-([^']+)'").Groups[1].Value);

        // The pages and the API keep the strict policy.
        foreach (var path in new[] { "/", "/index.html", "/js/signin.js", "/openapi/v1.json", "/health/live" })
        {
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, (await host.GetAsync(path, null)).Header("Content-Security-Policy"));
        }
    }

    [Fact]
    public async Task The_sign_in_page_links_the_API_reference()
    {
        var signIn = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root(), "src", "Gateway", "wwwroot", "js", "signin.js"), TestContext.Current.CancellationToken);
        Assert.Contains($"href: '{ApiReference.Path}/'", signIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_is_for_admins_only()
    {
        var host = await StartAsync();
        await host.GetAsync("/api/v1/countries", host.Token("admin"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(ClusterDashboard.Path + "/", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(ClusterDashboard.Path + "/ClusterStats", null)).Status);
        foreach (var (role, country) in new[] { ("coordinator", "AT"), ("partner", "AL"), ("secretariat", null), ("monitor", null), ("fro", (string?)null) })
        {
            foreach (var path in new[] { "/", "/ClusterStats", "/GrainTypes" })
            {
                var refused = await host.GetAsync(ClusterDashboard.Path + path, host.Token(role, country));
                Assert.True(refused.Status == HttpStatusCode.Forbidden, $"{role} {path}: {refused}");
            }
        }
        var admin = host.Token("admin");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(ClusterDashboard.Path + "/", admin)).Status);
        // The running cluster's silos, as the dashboard's page reads them.
        var stats = await host.GetAsync(ClusterDashboard.Path + "/ClusterStats", admin);
        Assert.True(stats.Status == HttpStatusCode.OK, stats.ToString());
    }

    /// <summary>Issue 13: the dashboard's collection costs a silo 7–8 % of its CPU in a rush; an operator may switch it off.</summary>
    [Fact]
    public async Task With_the_dashboard_switched_off_nothing_is_served_at_its_path_and_the_platform_works()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Silo:Dashboard"] = "false" });
        var admin = host.Token("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync(ClusterDashboard.Path + "/ClusterStats", admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/countries", admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/health/ready", null)).Status);
    }
}
