using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

public sealed class IdempotencyTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_same_post_50_times_at_once_creates_one_operation(string provider)
    {
        var host = await StartAsync(provider);
        var token = host.Token("coordinator", "AT");
        var body = Demo.Operation(TimeProvider.System.GetUtcNow(), ["AL", "RS"]);
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => host.PostAsync("/api/v1/operations", token, body, idempotencyKey: "same-key")));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, a.ToString()));
        Assert.Single(answers.Select(a => a.Json.GetProperty("id").GetString()).Distinct());
        Assert.Single(answers.Select(a => a.Header("Location")).Distinct());
        Assert.Equal(49, answers.Count(a => a.Header("Idempotent-Replayed") == "true"));
        Assert.Equal(1, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM operation_list"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_same_booking_50_times_at_once_books_once(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-2026-1");
        var body = Demo.Booking([returnee], escorts: 2, medical: 1);
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            host.PostAsync($"/api/v1/operations/{operation}/bookings", at, body, idempotencyKey: "book-once")));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, a.ToString()));
        Assert.Single(answers.Select(a => a.Json.GetProperty("id").GetString()).Distinct());
        var bookings = await host.GetAsync($"/api/v1/operations/{operation}/bookings", at);
        Assert.Equal(1, bookings.Json.GetProperty("items").GetArrayLength());
        var view = await host.GetAsync($"/api/v1/operations/{operation}", at);
        Assert.Equal(4, view.Json.GetProperty("seats").GetProperty("confirmed").GetInt32());
    }

    /// <summary>
    /// Found by the failure drill (docs/reliability.md): a gateway SIGKILLed after the operation stored a booking but
    /// before the answer was stored leaves the key pending; the client's retry takes it over once its lease has passed
    /// and acts again. With a fresh booking id each time, the grain refused the retry as "already-booked" (its own
    /// returnees) and the client never learnt of its booking.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_booking_retried_after_its_gateway_died_unanswered_is_answered_as_booked(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-2026-1");
        var body = Demo.Booking([returnee], escorts: 2);
        var first = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, body, idempotencyKey: "died-unanswered");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        // What the killed replica leaves behind: the booking stored, its key pending with a lease long past.
        Assert.Equal(1, await host.Storage.ExecuteAsync(
            "UPDATE gateway_idempotency SET state = 'pending', status_code = NULL, body = NULL, claimed_ms = 1 WHERE idem_key = 'died-unanswered'"));

        var retry = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, body, idempotencyKey: "died-unanswered");

        Assert.True(retry.Status == HttpStatusCode.Created, retry.ToString());
        Assert.Equal(first.Json.GetProperty("id").GetString(), retry.Json.GetProperty("id").GetString());
        Assert.Equal("Confirmed", retry.Json.GetProperty("status").GetString());
        var bookings = await host.GetAsync($"/api/v1/operations/{operation}/bookings", at);
        Assert.Equal(1, bookings.Json.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_keys_are_per_caller()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();
        var first = await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["AL"]), idempotencyKey: "k");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var reused = await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["RS"]), idempotencyKey: "k");
        Assert.Equal(422, reused.Code);
        Assert.Equal("idempotency-key-reuse", reused.Json.GetProperty("rule").GetString());
        var other = await host.PostAsync("/api/v1/operations", host.Token("coordinator", "HR"), Demo.Operation(now, ["AL"]), idempotencyKey: "k");
        Assert.Equal(HttpStatusCode.Created, other.Status);
        Assert.NotEqual(first.Json.GetProperty("id").GetString(), other.Json.GetProperty("id").GetString());
        Assert.Null(other.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_refused_request_is_replayed_as_refused()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var body = Demo.Operation(TimeProvider.System.GetUtcNow(), ["ZZ"]);
        var first = await host.PostAsync("/api/v1/operations", at, body, idempotencyKey: "bad");
        var again = await host.PostAsync("/api/v1/operations", at, body, idempotencyKey: "bad");
        Assert.Equal(422, first.Code);
        Assert.Equal(422, again.Code);
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
        Assert.Equal(first.Body, again.Body);
    }
}
