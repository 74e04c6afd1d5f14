using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReturnOps.Gateway.Auth;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Issue 11, defect 7: a token names one identity for a bounded time, and what is kept per caller is kept per whole identity.</summary>
public sealed class IdentityEdgeTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    /// <summary>Signs claims as the gateway's issuer would, with <c>iat</c> and <c>exp</c> as given (no defaults added).</summary>
    private static string Sign(Dictionary<string, object> claims, DateTimeOffset? issuedAt, DateTimeOffset expires)
    {
        claims["iss"] = "returnops";
        claims["aud"] = "returnops";
        claims["exp"] = expires.ToUnixTimeSeconds();
        if (issuedAt is { } iat)
        {
            claims["iat"] = iat.ToUnixTimeSeconds();
        }
        var key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(GatewayHost.SigningKey));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Issue 23, defect 9: a header with <c>crit</c> (RFC 7515 §4.1.11) and <c>exp</c> as a string were accepted.</summary>
    [Fact]
    public async Task A_token_with_a_critical_extension_or_a_time_as_a_string_is_401()
    {
        var host = await StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        var key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(GatewayHost.SigningKey));
        string Craft(Dictionary<string, object> header, object exp, object iat)
        {
            var claims = Coordinator("AT");
            (claims["iss"], claims["aud"], claims["exp"], claims["iat"]) = ("returnops", "returnops", exp, iat);
            return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Claims = claims,
                AdditionalHeaderClaims = header,
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            });
        }
        var exp = now.AddHours(1).ToUnixTimeSeconds();
        var iat = now.ToUnixTimeSeconds();

        foreach (var refused in new[]
        {
            Craft(new() { ["crit"] = new[] { "x-unknown" }, ["x-unknown"] = true }, exp, iat),
            Craft(new() { ["crit"] = new[] { "exp" } }, exp, iat),
            Craft([], exp.ToString(System.Globalization.CultureInfo.InvariantCulture), iat),
            Craft([], exp, iat.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        })
        {
            var answer = await host.GetAsync("/api/v1/operations", refused);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, answer.ToString());
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/operations", Craft([], exp, iat))).Status);
    }

    private static Dictionary<string, object> Coordinator(object country) => new() { ["sub"] = "clerk", ["role"] = "coordinator", ["country"] = country };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_token_with_several_countries_is_401(string provider)
    {
        var host = await StartAsync(provider);
        var now = TimeProvider.System.GetUtcNow();

        var several = await host.GetAsync("/api/v1/operations", Sign(Coordinator(new[] { "AT", "DE" }), now, now.AddHours(1)));
        var repeated = await host.GetAsync("/api/v1/operations", Sign(Coordinator(new[] { "AT", "AT" }), now, now.AddHours(1)));
        var one = await host.GetAsync("/api/v1/operations", Sign(Coordinator("AT"), now, now.AddHours(1)));

        Assert.True(several.Status == HttpStatusCode.Unauthorized, several.ToString());
        Assert.Equal("application/problem+json", several.ContentHeaders?.ContentType?.MediaType);
        Assert.True(repeated.Status == HttpStatusCode.Unauthorized, repeated.ToString());
        Assert.True(one.Status == HttpStatusCode.OK, one.ToString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_token_living_longer_than_12_hours_or_without_an_issue_time_is_401(string provider)
    {
        var host = await StartAsync(provider);
        var now = TimeProvider.System.GetUtcNow();
        string[] refused =
        [
            Sign(Coordinator("AT"), now, now.AddHours(12).AddMinutes(1)),
            Sign(Coordinator("AT"), now.AddYears(-1), now.AddHours(1)),
            Sign(Coordinator("AT"), issuedAt: null, now.AddHours(1)),
            // An issue time in the future would stretch exp beyond 12 hours from now.
            Sign(Coordinator("AT"), now.AddHours(6), now.AddHours(18)),
        ];
        foreach (var token in refused)
        {
            var answer = await host.GetAsync("/api/v1/operations", token);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"token {token}: {answer}");
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        }
        var longest = await host.GetAsync("/api/v1/operations", Sign(Coordinator("AT"), now, now.AddHours(12)));
        Assert.True(longest.Status == HttpStatusCode.OK, longest.ToString());
    }

    [Fact]
    public void The_issuer_and_the_token_command_stay_within_12_hours()
    {
        var issuer = new TokenIssuer(TokenSettings.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), isDevelopment: true), TimeProvider.System);
        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue("clerk", "admin", null, TimeSpan.FromHours(13)));
        var token = new JsonWebToken(issuer.Issue("clerk", "admin", null));
        Assert.True(token.ValidTo - token.IssuedAt <= TokenIssuer.MaxLifetime, $"{token.IssuedAt:o} to {token.ValidTo:o}");
        Assert.Equal(2, TokenCommand.Run(["--role", "admin", "--hours", "13"]));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_caller_of_another_country_with_the_same_sub_and_key_gets_no_stored_answer(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT", subject: "clerk");
        var de = host.Token("coordinator", "DE", subject: "clerk");
        var body = Demo.Returnee("CASE-1");

        var first = await host.PostAsync("/api/v1/returnees", at, body, idempotencyKey: "shared-key");
        var other = await host.PostAsync("/api/v1/returnees", de, body, idempotencyKey: "shared-key");
        var again = await host.PostAsync("/api/v1/returnees", at, body, idempotencyKey: "shared-key");

        Assert.True(first.Status == HttpStatusCode.Created, first.ToString());
        Assert.True(other.Status == HttpStatusCode.Created, other.ToString());
        Assert.Null(other.Header("Idempotent-Replayed"));
        var atId = first.Json.GetProperty("id").GetString();
        var deId = other.Json.GetProperty("id").GetString();
        Assert.NotEqual(atId, deId);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/api/v1/returnees/{deId}", de)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/returnees/{atId}", de)).Status);
        // The same identity still gets its own stored answer.
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
        Assert.Equal(atId, again.Json.GetProperty("id").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_countries_booking_with_the_same_sub_and_key_get_bookings_of_their_own(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT", subject: "clerk");
        var de = host.Token("coordinator", "DE", subject: "clerk");
        var op = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var atReturnee = await Demo.CreateReturneeAsync(host, at, "AT-ID-1");
        var deReturnee = await Demo.CreateReturneeAsync(host, de, "DE-ID-1");

        var atBooking = await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([atReturnee], 2), idempotencyKey: "book-1");
        var deBooking = await host.PostAsync($"/api/v1/operations/{op}/bookings", de, Demo.Booking([deReturnee], 2), idempotencyKey: "book-1");

        Assert.True(atBooking.Status == HttpStatusCode.Created, atBooking.ToString());
        Assert.True(deBooking.Status == HttpStatusCode.Created, deBooking.ToString());
        Assert.Equal("DE", deBooking.Json.GetProperty("country").GetString());
        Assert.NotEqual(atBooking.Json.GetProperty("id").GetString(), deBooking.Json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Two_countries_with_the_same_sub_do_not_share_a_rate_limit()
    {
        // A window far longer than the test: no permit comes back while it runs, so the count is exact without a clock.
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Gateway:RateLimitPermits"] = "3", ["Gateway:RateLimitWindowSeconds"] = "3600" });
        var at = host.Token("coordinator", "AT", subject: "clerk");
        var de = host.Token("coordinator", "DE", subject: "clerk");

        for (var i = 0; i < 3; i++)
        {
            var allowed = await host.GetAsync("/api/v1/countries", at);
            Assert.True(allowed.Status == HttpStatusCode.OK, $"request {i + 1} of 3: {allowed}");
        }
        var limited = await host.GetAsync("/api/v1/countries", at);
        var other = await host.GetAsync("/api/v1/countries", de);

        Assert.True(limited.Status == HttpStatusCode.TooManyRequests, limited.ToString());
        Assert.True(other.Status == HttpStatusCode.OK, "DE's clerk spent AT's permits: " + other);
    }
}
