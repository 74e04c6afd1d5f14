using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>
/// Issue 11, defect 2: every error the gateway can give validates against its own document. Each status is driven here at
/// least once; the contract check on the test client (<see cref="ContractCheckingHandler"/>) validates status, media type,
/// body and headers, so a request returning at all means its answer conformed.
/// </summary>
public sealed class ErrorAnswersContractTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static void Expect(HttpStatusCode status, Answer answer, string what, string? rule = null)
    {
        Assert.True(answer.Status == status, $"{what}: expected {(int)status}, got {answer}");
        if (rule is not null)
        {
            Assert.Equal(rule, answer.Json.GetProperty("rule").GetString());
        }
    }

    [Fact]
    public async Task Every_client_error_status_answers_as_the_document_says()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:MaxRequestBodyBytes"] = "4096",
            ["Gateway:MaxStreamsPerCaller"] = "1",
        });
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();

        Expect(HttpStatusCode.Unauthorized, await host.GetAsync("/api/v1/operations", null), "no token");
        Expect(HttpStatusCode.Unauthorized, await host.GetAsync("/api/v1/operations", "not-a-jwt"), "garbage token");
        Expect(HttpStatusCode.Forbidden, await host.GetAsync("/api/v1/statistics", at), "a coordinator reading statistics");
        Expect(HttpStatusCode.NotFound, await host.GetAsync("/api/v1/operations/op-" + new string('0', 32), at), "an unknown operation");
        Expect(HttpStatusCode.NotFound, await host.GetAsync("/api/v1/nothing-here", at), "an unknown route");

        var created = await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["AL"], seatCapacity: 10));
        Expect(HttpStatusCode.Created, created, "a new operation");
        Assert.NotNull(created.Header("Location"));
        Assert.NotNull(created.Header("ETag"));
        var id = created.Json.GetProperty("id").GetString();

        Expect(HttpStatusCode.Conflict, await host.PostAsync($"/api/v1/operations/{id}/status", at, new { to = "Completed" }), "Draft to Completed", "invalid-transition");
        Expect(HttpStatusCode.PreconditionFailed, await host.PostAsync($"/api/v1/operations/{id}/status", at, new { to = "Announced" }, ifMatch: "\"999\""), "a stale If-Match");
        Expect(HttpStatusCode.RequestEntityTooLarge, await host.PostAsync("/api/v1/returnees", at, "{\"reference\":\"" + new string('x', 5000) + "\"}"), "a body over the limit");
        Expect(HttpStatusCode.UnsupportedMediaType, await host.SendAsync(HttpMethod.Post, "/api/v1/operations", at, "{}", contentType: "text/plain"), "a text body");
        Expect(HttpStatusCode.UnprocessableEntity, await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["AL"], seatCapacity: 501)), "501 seats", "validation");

        // The same key with another body; then the first body again, answered from the store.
        Expect(HttpStatusCode.Created, await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("CASE-1"), idempotencyKey: "k-1"), "a case");
        Expect(HttpStatusCode.UnprocessableEntity, await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("CASE-2"), idempotencyKey: "k-1"), "a reused key", "idempotency-key-reuse");
        var replayed = await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("CASE-1"), idempotencyKey: "k-1");
        Expect(HttpStatusCode.Created, replayed, "the replay");
        Assert.Equal("true", replayed.Header("Idempotent-Replayed"));

        // An empty object to a POST that reads no body, as the web pages send it.
        Expect(HttpStatusCode.Conflict, await host.PostAsync($"/api/v1/operations/{id}/manifest/share", at, new { }), "sharing a draft's manifest", "invalid-transition");
    }

    [Fact]
    public async Task Rate_limited_requests_and_streams_beyond_the_limit_are_429_with_retry_after()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:RateLimitPermits"] = "4",
            ["Gateway:RateLimitWindowSeconds"] = "3600",
            ["Gateway:MaxStreamsPerCaller"] = "1",
        });
        var secretariat = host.Token("secretariat", subject: "board");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        request.Headers.Authorization = new("Bearer", secretariat);
        using var stream = await host.RawClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);

        var second = await host.GetAsync("/api/v1/events", secretariat);
        Expect(HttpStatusCode.TooManyRequests, second, "a second stream");
        Assert.NotNull(second.Header("Retry-After"));

        var admin = host.Token("admin", subject: "limited");
        for (var i = 0; i < 4; i++)
        {
            Expect(HttpStatusCode.OK, await host.GetAsync("/api/v1/countries", admin), $"request {i + 1} of 4");
        }
        var limited = await host.GetAsync("/api/v1/countries", admin);
        Expect(HttpStatusCode.TooManyRequests, limited, "the fifth request");
        Assert.NotNull(limited.Header("Retry-After"));
    }

    [Fact]
    public async Task While_storage_is_down_answers_are_503_with_retry_after_as_documented()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var storage = await TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
        await using var host = await GatewayHost.StartAsync(storage);
        var token = host.Token("coordinator", "AT");
        Expect(HttpStatusCode.OK, await host.GetAsync("/api/v1/operations", token), "storage up");
        await server.StopServerAsync();

        Expect(HttpStatusCode.ServiceUnavailable, await host.GetAsync("/api/v1/operations", token), "a list");
        Expect(HttpStatusCode.ServiceUnavailable, await host.GetAsync("/health/ready", null), "readiness");
        Expect(HttpStatusCode.ServiceUnavailable, await host.PostAsync("/api/v1/operations", token, Demo.Operation(TimeProvider.System.GetUtcNow(), ["AL"])), "a POST");
        await server.StartServerAsync();
        await Eventually.True(async () => (await host.GetAsync("/health/ready", null)).Code == 200, "the gateway to be ready again");
    }
}
