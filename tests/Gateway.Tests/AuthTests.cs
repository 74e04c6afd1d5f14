using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

public sealed class AuthTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static string Sign(string key, IEnumerable<Claim> claims, DateTime expires, string issuer = "returnops", string audience = "returnops")
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(issuer, audience, claims, expires.AddHours(-2), expires, credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private static Claim[] Coordinator => [new("sub", "clerk"), new("role", "coordinator"), new("country", "AT")];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Requests_without_a_valid_token_are_401_problems(string provider)
    {
        var host = await StartAsync(provider);
        var future = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1);
        string?[] tokens =
        [
            null,
            "not-a-jwt",
            Sign("a-different-key-that-is-long-enough-to-sign", Coordinator, future),
            Sign(GatewayHost.SigningKey, Coordinator, TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-5)),
            Sign(GatewayHost.SigningKey, Coordinator, future, issuer: "someone-else"),
            Sign(GatewayHost.SigningKey, Coordinator, future, audience: "someone-else"),
            Sign(GatewayHost.SigningKey, [new("sub", "x"), new("role", "king")], future),
            Sign(GatewayHost.SigningKey, [new("sub", "x"), new("role", "coordinator")], future),
            Sign(GatewayHost.SigningKey, [new("sub", "x"), new("role", "partner"), new("country", "albania")], future),
            host.Token("coordinator", "AT")[..^4] + "AAAA",
        ];
        foreach (var token in tokens)
        {
            var answer = await host.GetAsync("/api/v1/countries", token);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"token {token}: {answer}");
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
            Assert.Equal(401, answer.Json.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task A_valid_token_reads_the_seeded_participants()
    {
        var host = await StartAsync();
        var answer = await host.GetAsync("/api/v1/countries", host.Token("partner", "AL"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var codes = answer.Json.EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        // 19 JCP participants and 4 destinations, China (rule 20) among them.
        Assert.Equal(23, codes.Count);
        Assert.Contains("XK", codes);
        Assert.Contains("CN", codes);
    }

    [Fact]
    public async Task A_role_without_the_right_is_403()
    {
        var host = await StartAsync();
        var answer = await host.SendAsync(HttpMethod.Put, "/api/v1/countries/NG", host.Token("coordinator", "AT"),
            new { name = "Nigeria", group = "ThirdCountry", airports = new[] { "LOS" } });
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("urn:returnops:problem:forbidden", answer.Json.GetProperty("type").GetString());
        var admin = await host.SendAsync(HttpMethod.Put, "/api/v1/countries/NG", host.Token("admin"),
            new { name = "Nigeria", group = "ThirdCountry", airports = new[] { "LOS" } });
        Assert.Equal(HttpStatusCode.OK, admin.Status);
    }

    [Fact]
    public async Task Health_metrics_and_openapi_answer_without_a_token()
    {
        var host = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/health/live", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/health/ready", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/openapi/v1.json", null)).Status);
        await host.GetAsync("/api/v1/countries", host.Token("admin"));
        var metrics = await host.GetAsync("/metrics", null);
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.True(metrics.Body.Contains("returnops_http_requests_total{method=\"GET\",route=\"/api/v1/countries/\",status=\"200\"} 1", StringComparison.Ordinal), metrics.Body);
        Assert.Contains("returnops_http_request_duration_seconds_bucket{", metrics.Body);
        Assert.Contains("returnops_grain_activations ", metrics.Body);
        Assert.Contains("returnops_outbox_backlog ", metrics.Body);
    }
}
