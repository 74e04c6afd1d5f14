using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Gateway.Auth.SignIn;
using ReturnOps.Gateway.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 24, part 1: the pages sign in through OpenID Connect's code flow with PKCE (here at the demo identity provider the
/// gateway serves itself) into an HttpOnly session cookie; changes made with it need the antiforgery header; bearer tokens
/// work exactly as before; sign-out ends the cookie and the provider's session.
/// </summary>
public sealed class PageSignInTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static readonly Dictionary<string, string?> s_demo = new() { ["Auth:SignIn:Demo"] = "true" };

    [Fact]
    public async Task Signing_in_runs_the_code_flow_with_PKCE_and_sets_an_HttpOnly_SameSite_session_cookie()
    {
        var host = await StartAsync(settings: s_demo);
        using var browser = new Browser(host.Address);

        var challenge = await browser.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString("/#/coordinator"));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal(DemoIdentityProvider.AuthorizePath, authorize.AbsolutePath);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Equal(DemoIdentityProvider.ClientId, query["client_id"].ToString());

        var login = await browser.GetAsync(authorize.PathAndQuery);
        var page = await login.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(login.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Coordinator AT", page, StringComparison.Ordinal);
        Assert.Contains("Reintegration provider AL: Tirana Reintegration Service", page, StringComparison.Ordinal);

        var callback = await browser.GetAsync(authorize.PathAndQuery + "&identity=demo-coordinator-at");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(PageSession.CallbackPath, callback.Headers.Location!.AbsolutePath);
        Assert.Contains("code=", callback.Headers.Location.Query, StringComparison.Ordinal);

        var home = await browser.GetAsync(callback.Headers.Location.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/#/coordinator", home.Headers.Location!.OriginalString);
        var cookie = home.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(PageSession.CookieName + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        // Plain http here: Secure only where the request came over https (CookieSecurePolicy.SameAsRequest).
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal);
        // No token in what the page can read: the cookie is opaque, the session endpoint names the person only.
        var session = await browser.JsonAsync(PageSession.SessionPath);
        Assert.Equal("demo-coordinator-at", session.GetProperty("person").GetProperty("subject").GetString());
        Assert.Equal("coordinator", session.GetProperty("person").GetProperty("role").GetString());
        Assert.Equal("AT", session.GetProperty("person").GetProperty("country").GetString());
        Assert.DoesNotContain("eyJ", session.GetRawText(), StringComparison.Ordinal);

        // The same claims reach authorization as a bearer token's: the coordinator's own state's returnees, not others'.
        var returnees = await browser.GetAsync("/api/v1/returnees");
        Assert.Equal(HttpStatusCode.OK, returnees.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/statistics?year=2026")).StatusCode);
    }

    [Fact]
    public async Task A_change_made_with_the_cookie_without_the_antiforgery_header_is_refused_and_changes_nothing()
    {
        var host = await StartAsync(settings: s_demo);
        using var browser = new Browser(host.Address);
        await browser.SignInAsync("demo-coordinator-at");
        var before = (await browser.JsonAsync("/api/v1/returnees")).GetProperty("items").GetArrayLength();

        var forged = await browser.PostJsonAsync("/api/v1/returnees", Demo.Returnee("AT-CSRF-1"), antiforgery: false);
        var problem = await forged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(forged.StatusCode == HttpStatusCode.Forbidden, problem);
        Assert.Contains(SessionAntiforgery.Header, problem, StringComparison.Ordinal);
        Assert.Equal(before, (await browser.JsonAsync("/api/v1/returnees")).GetProperty("items").GetArrayLength());

        var made = await browser.PostJsonAsync("/api/v1/returnees", Demo.Returnee("AT-CSRF-1"), antiforgery: true);
        Assert.True(made.StatusCode == HttpStatusCode.Created, await made.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(before + 1, (await browser.JsonAsync("/api/v1/returnees")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Bearer_tokens_work_as_before_and_win_over_a_cookie()
    {
        var host = await StartAsync(settings: s_demo);
        // Anonymous: the bearer scheme's 401, as partner systems know it.
        var anonymous = await host.GetAsync("/api/v1/returnees", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.StartsWith("Bearer", anonymous.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/returnees", host.Token("coordinator", "HR"))).Status);
        // A bearer request needs no antiforgery header, cookie or not.
        using var browser = new Browser(host.Address);
        await browser.SignInAsync("demo-coordinator-at");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/returnees") { Content = Json(Demo.Returnee("HR-BEARER-1")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Token("coordinator", "HR"));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var created = await browser.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // Made as HR (the token), not AT (the cookie).
        Assert.Equal(1, (await host.GetAsync("/api/v1/returnees", host.Token("coordinator", "HR"))).Json.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await browser.JsonAsync("/api/v1/returnees")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Signing_out_clears_the_cookie_and_ends_the_providers_session()
    {
        var host = await StartAsync(settings: s_demo);
        using var browser = new Browser(host.Address);
        await browser.SignInAsync("demo-secretariat");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/countries")).StatusCode);

        var signOut = await browser.Client.PostAsync(PageSession.SignOutPath, null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var endSession = signOut.Headers.Location!;
        Assert.Equal(DemoIdentityProvider.EndSessionPath, endSession.AbsolutePath);
        Assert.Contains("id_token_hint=", endSession.Query, StringComparison.Ordinal);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith(PageSession.CookieName + "=;", StringComparison.Ordinal));
        var back = await browser.GetAsync(endSession.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(PageSession.SignedOutCallbackPath, back.Headers.Location!.AbsolutePath);
        var home = await browser.GetAsync(back.Headers.Location.PathAndQuery);
        Assert.Equal("/", home.Headers.Location!.OriginalString);

        Assert.Equal(JsonValueKind.Null, (await browser.JsonAsync(PageSession.SessionPath)).GetProperty("person").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/countries")).StatusCode);
    }

    [Fact]
    public async Task An_idle_session_renews_while_used_and_ends_after_its_idle_time_with_a_401()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var host = await StartAsync(settings: s_demo, configure: b => b.Services.AddKeyedSingleton<TimeProvider>(PageSession.ClockKey, clock));
        using var browser = new Browser(host.Address);
        await browser.SignInAsync("demo-secretariat");
        // Used every 40 minutes, a 60-minute session lives on (sliding expiration renews it in its second half).
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(40));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/countries")).StatusCode);
        }
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/countries")).StatusCode);
        // A page opened in the browser goes to sign-in instead.
        var dashboard = await browser.NavigateAsync(ClusterDashboard.Path + "/");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith(PageSession.SignInPath + "?returnUrl=", dashboard.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_opens_in_a_browser_for_an_admin_signed_in_with_the_cookie()
    {
        var host = await StartAsync(settings: s_demo);
        using var admin = new Browser(host.Address);
        await admin.SignInAsync("demo-admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.NavigateAsync(ClusterDashboard.Path + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(ClusterDashboard.Path + "/ClusterStats")).StatusCode);
        using var coordinator = new Browser(host.Address);
        await coordinator.SignInAsync("demo-coordinator-at");
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.NavigateAsync(ClusterDashboard.Path + "/")).StatusCode);
    }

    [Fact]
    public async Task Outside_Development_no_demo_identity_provider_is_served_unless_configured()
    {
        var host = await StartAsync();
        var authorize = await host.GetAsync(DemoIdentityProvider.AuthorizePath + "?client_id=" + DemoIdentityProvider.ClientId, null);
        Assert.NotEqual(HttpStatusCode.OK, authorize.Status);
        Assert.DoesNotContain("Demo identity provider", authorize.Body, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Redirect, (await host.GetAsync(PageSession.SignInPath, null)).Status);
        var session = await host.GetAsync(PageSession.SessionPath, null);
        Assert.False(session.Json.GetProperty("signInAvailable").GetBoolean());
    }

    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json");

    /// <summary>A browser as the flow sees it: a cookie jar, redirects taken one at a time so that each can be checked.</summary>
    private sealed class Browser : IDisposable
    {
        public Browser(Uri address) =>
            Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = address };

        public HttpClient Client { get; }

        public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(path, TestContext.Current.CancellationToken);

        /// <summary>A GET as the browser's address bar sends it.</summary>
        public Task<HttpResponseMessage> NavigateAsync(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Sec-Fetch-Mode", "navigate");
            request.Headers.Accept.ParseAdd("text/html");
            return Client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        public async Task<JsonElement> JsonAsync(string path)
        {
            var response = await GetAsync(path);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }

        public Task<HttpResponseMessage> PostJsonAsync(string path, object body, bool antiforgery)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            if (antiforgery)
            {
                request.Headers.Add(SessionAntiforgery.Header, "1");
            }
            return Client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        /// <summary>The whole flow: challenge, the provider's page with <paramref name="identity"/> chosen, the callback.</summary>
        public async Task SignInAsync(string identity)
        {
            var authorize = (await GetAsync(PageSession.SignInPath)).Headers.Location!;
            var callback = (await GetAsync(authorize.PathAndQuery + "&identity=" + identity)).Headers.Location!;
            var home = await GetAsync(callback.PathAndQuery);
            Assert.True(home.StatusCode == HttpStatusCode.Redirect && home.Headers.Location!.OriginalString == "/",
                $"sign-in as {identity}: {(int)home.StatusCode} {home.Headers.Location}");
        }

        public void Dispose() => Client.Dispose();
    }
}
