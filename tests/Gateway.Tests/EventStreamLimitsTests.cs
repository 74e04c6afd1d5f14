using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Events;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Issue 11, defect 5: an event stream outlived its token, and a caller could hold any number of streams.</summary>
public sealed class EventStreamLimitsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public void A_lease_ends_exactly_at_the_tokens_expiry_on_the_token_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var leases = new StreamLeases(Options.Create(new GatewayOptions()), clock);
        using var lease = leases.Open(Principal("fro-1", "fro", null, clock.GetUtcNow().AddMinutes(5)), CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.False(lease.Token.IsCancellationRequested, "one second before exp");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(lease.Token.IsCancellationRequested, "at exp");
        Assert.True(lease.Expired);
    }

    [Fact]
    public void A_token_past_its_exp_within_the_handlers_clock_skew_opens_no_stream()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var leases = new StreamLeases(Options.Create(new GatewayOptions()), clock);
        var refused = Assert.Throws<RequestProblemException>(() => leases.Open(Principal("fro-1", "fro", null, clock.GetUtcNow().AddSeconds(-10)), CancellationToken.None));
        Assert.Equal(StatusCodes.Status401Unauthorized, refused.Status);
        Assert.Equal(0, leases.OpenCount);
    }

    [Fact]
    public void A_caller_gets_at_most_the_configured_streams_and_a_slot_frees_when_one_ends()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var leases = new StreamLeases(Options.Create(new GatewayOptions { MaxStreamsPerCaller = 2 }), clock);
        var exp = clock.GetUtcNow().AddHours(1);
        var first = leases.Open(Principal("at-desk", "coordinator", "AT", exp), CancellationToken.None);
        using var second = leases.Open(Principal("at-desk", "coordinator", "AT", exp), CancellationToken.None);

        var refused = Assert.Throws<RequestProblemException>(() => leases.Open(Principal("at-desk", "coordinator", "AT", exp), CancellationToken.None));
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Status);
        // The same sub under another country is another caller.
        using var other = leases.Open(Principal("at-desk", "coordinator", "HR", exp), CancellationToken.None);

        first.Dispose();
        first.Dispose();
        using var third = leases.Open(Principal("at-desk", "coordinator", "AT", exp), CancellationToken.None);
        Assert.Equal(3, leases.OpenCount);
    }

    [Theory]
    [InlineData("board")]
    [InlineData("operation")]
    public async Task A_stream_closes_when_its_token_expires_on_the_token_clock(string stream)
    {
        // Token time is a fake clock here (TokenClock): the token is issued, validated and held against it, so the stream's
        // end is driven by moving it, not by waiting for a real token to run out.
        var tokenClock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var host = await StartAsync(configure: b => b.Services.AddKeyedSingleton<TimeProvider>(TokenClock.Key, tokenClock));
        var path = "/api/v1/events";
        if (stream == "operation")
        {
            var operation = await Demo.CreateOperationAsync(host, host.Token("coordinator", "AT"), TimeProvider.System.GetUtcNow(), ["AL"], announce: false);
            path = $"/api/v1/operations/{operation}/events";
        }
        var token = host.Tokens.Issue("short-lived", stream == "board" ? "secretariat" : "coordinator", stream == "board" ? null : "AT", TimeSpan.FromMinutes(5));
        using var response = await SendAsync(host, token, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await EventStream.ReadEventAsync(reader);

        tokenClock.Advance(TimeSpan.FromMinutes(5));
        // ReadEventAsync gives up after 15 s; the stream ends at once, at the token's exp on the token clock.
        await Assert.ThrowsAsync<EndOfStreamException>(() => EventStream.ReadEventAsync(reader));

        // Within the handler's 30 s skew the token still authenticates, but opens no stream; past it, the handler refuses it.
        using var withinSkew = await SendAsync(host, token, path);
        Assert.Equal(HttpStatusCode.Unauthorized, withinSkew.StatusCode);
        Assert.Contains("expired", await withinSkew.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        tokenClock.Advance(TimeSpan.FromSeconds(31));
        using var pastSkew = await SendAsync(host, token, path);
        Assert.Equal(HttpStatusCode.Unauthorized, pastSkew.StatusCode);
        Assert.Contains("expired", pastSkew.Headers.WwwAuthenticate.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Streams_beyond_the_limit_per_caller_are_429_and_a_closed_one_frees_its_slot()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Gateway:MaxStreamsPerCaller"] = "2" });
        var secretariat = host.Token("secretariat", subject: "jcp-desk");
        var first = await OpenAsync(host, secretariat);
        var second = await OpenAsync(host, secretariat);

        using var refused = await SendAsync(host, secretariat);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:returnops:problem:", await refused.Content.ReadAsStringAsync());
        using var otherCaller = await OpenAsync(host, host.Token("secretariat", subject: "jcp-night-desk"));

        first.Dispose();
        var leases = host.Services.GetRequiredService<StreamLeases>();
        for (var attempt = 0; leases.OpenCount > 2; attempt++)
        {
            Assert.True(attempt < 100, $"the server did not release the closed stream's slot within 10 s ({leases.OpenCount} open)");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
        using var again = await OpenAsync(host, secretariat);
        second.Dispose();
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost host, string token, string path = "/api/v1/events")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await host.RawClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Opens a board stream and reads its first event, so that the server holds the stream when this returns.</summary>
    private static async Task<HttpResponseMessage> OpenAsync(GatewayHost host, string token)
    {
        var response = await SendAsync(host, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Contains("ready", await EventStream.ReadEventAsync(reader));
        return response;
    }

    private static ClaimsPrincipal Principal(string subject, string role, string? country, DateTimeOffset expires)
    {
        var claims = new List<Claim> { new("sub", subject), new("role", role), new("exp", expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (country is not null)
        {
            claims.Add(new("country", country));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
