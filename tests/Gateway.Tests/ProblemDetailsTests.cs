using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

public sealed class ProblemDetailsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static void AssertProblem(Answer answer, int status, string? rule = null)
    {
        Assert.True(answer.Code == status, $"expected {status}: {answer}");
        Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        var json = answer.Json;
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:returnops:problem:", json.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", answer.Body);
        if (rule is not null)
        {
            Assert.Equal(rule, json.GetProperty("rule").GetString());
        }
    }

    [Fact]
    public async Task Malformed_bodies_are_400_wrong_media_415_oversized_413()
    {
        var host = await StartAsync();
        var token = host.Token("coordinator", "AT");
        AssertProblem(await host.PostAsync("/api/v1/operations", token, "{\"type\":"), 400);
        AssertProblem(await host.PostAsync("/api/v1/operations", token, "{\"type\":\"Joint\",\"hacker\":true}"), 400);
        AssertProblem(await host.PostAsync("/api/v1/operations", token, "{\"type\":\"Rocket\"}"), 400);
        AssertProblem(await host.PostAsync("/api/v1/operations", token, "{\"type\":3}"), 400);
        AssertProblem(await host.PostAsync("/api/v1/returnees", token, "{\"birthYear\":\"1990\"}"), 400);
        AssertProblem(await host.PostAsync("/api/v1/returnees", token, new string('[', 5000) + new string(']', 5000)), 400);
        AssertProblem(await host.SendAsync(HttpMethod.Post, "/api/v1/operations", token, "{}", contentType: "text/plain"), 415);
        AssertProblem(await host.PostAsync("/api/v1/returnees", token, "{\"reference\":\"" + new string('x', 70_000) + "\"}"), 413);
        AssertProblem(await host.GetAsync("/api/v1/operations?page=zero", token), 400);
        AssertProblem(await host.GetAsync("/api/v1/operations?status=Flying", token), 400);
    }

    [Fact]
    public async Task A_post_without_an_idempotency_key_is_400()
    {
        var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/operations");
        request.Headers.Authorization = new("Bearer", host.Token("coordinator", "AT"));
        request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        AssertProblem(await host.SendAsync(request), 400);
    }

    [Fact]
    public async Task Unknown_routes_and_invisible_resources_are_404()
    {
        var host = await StartAsync();
        var token = host.Token("coordinator", "AT");
        AssertProblem(await host.GetAsync("/api/v1/nothing-here", token), 404);
        AssertProblem(await host.GetAsync("/api/v1/operations/op-00000000000000000000000000000000", token), 404);
        AssertProblem(await host.GetAsync("/api/v1/operations/' OR 1=1 --", token), 404);
        AssertProblem(await host.GetAsync("/api/v1/returnees/rt-00000000000000000000000000000000", token), 404);
    }

    [Fact]
    public async Task Broken_rules_are_422_and_wrong_lifecycle_steps_409_with_the_rule_code()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();
        var operation = await Demo.CreateOperationAsync(host, at, now, ["AL"], announce: false);
        AssertProblem(await host.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Completed" }), 409, "invalid-transition");
        await host.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Announced" });
        var returnee = Demo.Returnee("AT-1");
        returnee["decisionEnforceable"] = false;
        var created = await host.PostAsync("/api/v1/returnees", at, returnee);
        var id = created.Json.GetProperty("id").GetString()!;
        AssertProblem(await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([id], escorts: 2, medical: 1)), 422, "enforceable-decision");
        AssertProblem(await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["ZZ"])), 422, "validation");
    }

    [Fact]
    public async Task An_if_match_that_does_not_match_is_412()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"], announce: false);
        var current = await host.GetAsync($"/api/v1/operations/{operation}", at);
        var etag = current.Header("ETag")!;
        AssertProblem(await host.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Announced" }, ifMatch: "\"999\""), 412);
        var ok = await host.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Announced" }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.NotEqual(etag, ok.Header("ETag"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Of_concurrent_changes_with_the_same_if_match_exactly_one_succeeds_and_the_others_are_412(string provider)
    {
        const int Rounds = 5;
        const int Writers = 8;
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"], announce: false);
        // Each round starts from a fresh ETag and every writer sends it at once, each assigning another monitor.
        for (var round = 0; round < Rounds; round++)
        {
            var etag = (await host.GetAsync($"/api/v1/operations/{operation}", at)).Header("ETag")!;
            var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer =>
                host.PostAsync($"/api/v1/operations/{operation}/monitors", at, new { monitor = $"monitor-{round}-{writer}" }, ifMatch: etag)));
            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            foreach (var refused in answers.Where(a => a.Status != HttpStatusCode.OK))
            {
                AssertProblem(refused, 412);
            }
        }
        var monitors = (await host.GetAsync($"/api/v1/operations/{operation}", at)).Json.GetProperty("assignedMonitors");
        Assert.Equal(Rounds, monitors.GetArrayLength());
    }

    [Fact]
    public async Task A_caller_over_its_rate_limit_gets_429_with_retry_after_and_every_answer_says_its_quota()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Gateway:RateLimitPermits"] = "3", ["Gateway:RateLimitWindowSeconds"] = "60" });
        var token = host.Token("admin");
        for (var i = 0; i < 3; i++)
        {
            var allowed = await host.GetAsync("/api/v1/countries", token);
            Assert.Equal(HttpStatusCode.OK, allowed.Status);
            // The quota as the IETF draft's fields say it: 3 permits a 60 s window, the permits left after this one.
            Assert.Equal("\"caller\";q=3;w=60", allowed.Header("RateLimit-Policy"));
            Assert.Equal($"\"caller\";r={2 - i}", allowed.Header("RateLimit"));
        }
        var limited = await host.GetAsync("/api/v1/countries", token);
        AssertProblem(limited, 429);
        Assert.NotNull(limited.Header("Retry-After"));
        Assert.Equal("\"caller\";r=0", limited.Header("RateLimit"));
        Assert.Equal("\"caller\";q=3;w=60", limited.Header("RateLimit-Policy"));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/countries", host.Token("admin", subject: "another-admin"))).Status);
    }

    [Fact]
    public async Task While_the_database_is_down_the_answer_is_503_with_retry_after()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var storage = await TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
        await using var host = await GatewayHost.StartAsync(storage);
        var token = host.Token("coordinator", "AT");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/operations", token)).Status);
        await server.StopServerAsync();
        var down = await host.GetAsync("/api/v1/operations", token);
        AssertProblem(down, 503);
        Assert.NotNull(down.Header("Retry-After"));
        AssertProblem(await host.GetAsync("/health/ready", null), 503);
        AssertProblem(await host.PostAsync("/api/v1/operations", token, Demo.Operation(TimeProvider.System.GetUtcNow(), ["AL"])), 503);
        await server.StartServerAsync();
        await Eventually.True(async () => (await host.GetAsync("/health/ready", null)).Code == 200, "the gateway to be ready again");
    }

    [Fact]
    public async Task While_the_database_is_down_a_gateway_without_a_silo_answers_503_with_retry_after_too()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await ClusterReplicas.CreateAsync(() => Task.FromResult(server));
        await cluster.StartSiloAsync();
        var gateway = await cluster.StartGatewayAsync();
        var token = gateway.Token("coordinator", "AT");
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/health/ready", null)).Status);
        await server.StopServerAsync();
        // An operation with no activation yet: the silo reads its state, fails, and the failure reaches the gateway as itself.
        var down = await gateway.GetAsync("/api/v1/operations/op-" + new string('0', 32), token);
        AssertProblem(down, 503);
        Assert.NotNull(down.Header("Retry-After"));
        AssertProblem(await gateway.GetAsync("/health/ready", null), 503);
        await server.StartServerAsync();
        await Eventually.True(async () => (await gateway.GetAsync("/health/ready", null)).Code == 200, "the gateway to be ready again");
    }

    /// <summary>
    /// A grain call that met a dying silo passes on the next attempt, once the cluster has moved the grain (about a second):
    /// its 503 asks for a retry in 1 s, the database's outage for 5 s (the booking drill's 12 s were mostly a 5 s Retry-After).
    /// </summary>
    [Fact]
    public void A_call_that_met_a_dying_silo_is_retried_after_1_s_and_a_storage_outage_after_5_s()
    {
        Assert.Equal((503, 1), Mapped(new TimeoutException("Response did not arrive on time")));
        Assert.Equal((503, 1), Mapped(new SiloUnavailableException("The target silo became unavailable")));
        Assert.Equal((503, 1), Mapped(new OperationCanceledException("Message expired before placement could complete")));
        Assert.Equal((503, 5), Mapped(new OrleansException("Grain storage failed", new ReturnOps.Storage.StorageUnavailableException("down"))));
    }

    private static (int Status, int? RetryAfter) Mapped(Exception exception)
    {
        var problem = Problems.ProblemMapper.ForException(exception);
        return (problem.Status, problem.RetryAfterSeconds);
    }
}
