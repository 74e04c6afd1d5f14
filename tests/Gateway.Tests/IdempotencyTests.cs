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
    /// Found by the failure drill (docs/reliability.md): a gateway SIGKILLed after the operation stored a booking but before
    /// it answered left the key pending for a 60 s lease, and a retry with a fresh booking id was refused as "already-booked"
    /// by its own returnees. Now the operation keeps a booking's key (the booking id follows from it) with the booking: the
    /// gateway keeps nothing, and the retry through any gateway is the first answer, marked replayed.
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
        Assert.Null(first.Header("Idempotent-Replayed"));
        // Nothing of the key is the gateway's to lose: a killed gateway leaves no lease behind.
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency WHERE idem_key = 'died-unanswered'"));

        var retry = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, body, idempotencyKey: "died-unanswered");

        Assert.True(retry.Status == HttpStatusCode.Created, retry.ToString());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.Json.GetProperty("id").GetString(), retry.Json.GetProperty("id").GetString());
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(first.Header("ETag"), retry.Header("ETag"));
        var bookings = await host.GetAsync($"/api/v1/operations/{operation}/bookings", at);
        Assert.Equal(1, bookings.Json.GetProperty("items").GetArrayLength());
    }

    /// <summary>The operation's answer to a retried key is the first one, even when the booking changed since (issue 22).</summary>
    [Fact]
    public async Task A_booking_retried_after_it_was_cancelled_gets_its_first_answer_and_another_body_is_422()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-2026-2");
        var body = Demo.Booking([returnee], escorts: 2);
        var first = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, body, idempotencyKey: "cancelled-later");
        var id = first.Json.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/operations/{operation}/bookings/{id}", at)).Status);

        var retry = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, body, idempotencyKey: "cancelled-later");
        var reused = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], escorts: 3), idempotencyKey: "cancelled-later");

        Assert.Equal((HttpStatusCode.Created, "Confirmed", "true"), (retry.Status, retry.Json.GetProperty("status").GetString(), retry.Header("Idempotent-Replayed")));
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(422, reused.Code);
        Assert.Equal("idempotency-key-reuse", reused.Json.GetProperty("rule").GetString());
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
