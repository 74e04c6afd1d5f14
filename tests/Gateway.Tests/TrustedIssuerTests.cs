using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReturnOps.Gateway.Auth;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 14: member states' identity providers. A configured issuer's tokens are checked against its JWKS (served on
/// loopback here) and may carry only its countries and roles; any other issuer is refused.
/// </summary>
public sealed class TrustedIssuerTests(SharedPostgres postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _keysClock = new(TimeProvider.System.GetUtcNow());
    private readonly List<IAsyncDisposable> _owned = [];

    private async Task<(GatewayHost Gateway, IdentityProvider Austria)> StartAsync(SecurityKey key)
    {
        var austria = await IdentityProvider.StartAsync("https://idp.bmi.gv.at", key);
        _owned.Add(austria);
        var storage = await TestStorage.CreateAsync("Sqlite", postgres.GetAsync);
        _owned.Add(storage);
        var gateway = await GatewayHost.StartAsync(storage, settings: new Dictionary<string, string?>
        {
            ["Auth:Issuers:0:Issuer"] = austria.Issuer,
            ["Auth:Issuers:0:JwksUrl"] = austria.JwksUrl,
            ["Auth:Issuers:0:Countries:0"] = "AT",
            ["Auth:Issuers:0:Roles:0"] = "coordinator",
            ["Auth:Issuers:0:Roles:1"] = "partner",
        }, configure: b => b.Services.AddKeyedSingleton<TimeProvider>(IssuerKeys.ClockKey, _keysClock));
        _owned.Insert(0, gateway);
        return (gateway, austria);
    }

    [Fact]
    public async Task A_configured_issuers_RS256_and_ES256_tokens_are_accepted_for_its_country_and_roles()
    {
        var rsa = IdentityProvider.NewRsaKey("at-rsa-1");
        var (gateway, austria) = await StartAsync(rsa);
        var answer = await gateway.GetAsync("/api/v1/operations", austria.Token(rsa, "coordinator", "AT"));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());

        var ec = IdentityProvider.NewEcKey("at-ec-1");
        austria.Rotate(rsa, ec);
        _keysClock.Advance(IssuerKeys.RefreshAtMostEvery);
        var partner = await gateway.GetAsync("/api/v1/operations", austria.Token(ec, "partner", "AT"));
        Assert.True(partner.Status == HttpStatusCode.OK, partner.ToString());
    }

    [Fact]
    public async Task A_token_from_an_unknown_issuer_is_401()
    {
        var key = IdentityProvider.NewRsaKey("at-rsa-1");
        var (gateway, austria) = await StartAsync(key);
        var answer = await gateway.GetAsync("/api/v1/operations", austria.Token(key, "coordinator", "AT", issuer: "https://idp.elsewhere.example"));
        Assert.True(answer.Status == HttpStatusCode.Unauthorized, answer.ToString());
        Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        Assert.Equal(0, austria.Reads);
        // Three dots that are no JWT were a 500 before validation (HostileInputTests found it).
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/v1/operations", "x.y.z")).Status);
    }

    [Fact]
    public async Task An_issuer_claiming_a_country_or_role_it_may_not_is_401()
    {
        var key = IdentityProvider.NewRsaKey("at-rsa-1");
        var (gateway, austria) = await StartAsync(key);
        foreach (var (role, country) in new[] { ("coordinator", "DE"), ("admin", (string?)null), ("secretariat", null) })
        {
            var answer = await gateway.GetAsync("/api/v1/countries", austria.Token(key, role, country));
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"{role} {country}: {answer}");
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_rotated_key_is_read_from_the_JWKS_on_its_unknown_kid_and_the_retired_key_is_refused()
    {
        var first = IdentityProvider.NewRsaKey("at-2026-01");
        var (gateway, austria) = await StartAsync(first);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/v1/operations", austria.Token(first, "coordinator", "AT"))).Status);
        Assert.Equal(1, austria.Reads);

        var second = IdentityProvider.NewRsaKey("at-2026-02");
        austria.Rotate(second);
        // Within the refresh limit an unknown kid makes no read: made-up kids cannot make the gateway hammer the provider.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/v1/operations", austria.Token(second, "coordinator", "AT"))).Status);
        Assert.Equal(1, austria.Reads);

        _keysClock.Advance(IssuerKeys.RefreshAtMostEvery);
        var rotated = await gateway.GetAsync("/api/v1/operations", austria.Token(second, "coordinator", "AT"));
        Assert.True(rotated.Status == HttpStatusCode.OK, rotated.ToString());
        Assert.Equal(2, austria.Reads);
        // The retired key left the JWKS, so it left the cache.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/v1/operations", austria.Token(first, "coordinator", "AT"))).Status);
    }

    [Fact]
    public async Task An_HS256_token_naming_a_configured_issuer_is_401()
    {
        var key = IdentityProvider.NewRsaKey("at-rsa-1");
        var (gateway, austria) = await StartAsync(key);
        // Signed with the gateway's own HS256 key, but naming Austria's provider: only its JWKS keys may sign for it.
        var symmetric = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(GatewayHost.SigningKey));
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = austria.Issuer,
            Audience = "returnops",
            Claims = new Dictionary<string, object> { ["sub"] = "clerk", ["role"] = "coordinator", ["country"] = "AT" },
            IssuedAt = now,
            Expires = now.AddHours(1),
            SigningCredentials = new(symmetric, SecurityAlgorithms.HmacSha256),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/v1/countries", forged)).Status);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
