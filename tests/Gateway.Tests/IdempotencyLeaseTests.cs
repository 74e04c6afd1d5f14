using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Grains.Operations;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Leases of the keys of POSTs the gateway answers itself (issue 22): renewed while their request runs, taken over by a
/// retry once their owner has stopped renewing for <see cref="IdempotencyLeases.Expiry"/>. The leases' clock is a fake one
/// here, moved by the test; requests and renewals still run for real.
/// </summary>
public sealed class IdempotencyLeaseTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Operations = "/api/v1/operations";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_request_running_longer_than_the_expiry_keeps_its_key_while_its_gateway_renews_it(string provider)
    {
        var leaseClock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var gate = new CreateGate(open: false);
        var host = await StartAsync(provider, configure: b => Configure(b, leaseClock, gate));
        var at = host.Token("coordinator", "AT");
        var body = Demo.Operation(TimeProvider.System.GetUtcNow(), ["AL"]);
        var first = host.PostAsync(Operations, at, body, idempotencyKey: "long-running");
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var retry = host.PostAsync(Operations, at, body, idempotencyKey: "long-running");

        // Three expiries' worth of lease time, a renewal period at a time: each renewal is seen in the row before time moves on.
        for (var second = 1; second <= 3 * IdempotencyLeases.Expiry.TotalSeconds; second++)
        {
            leaseClock.Advance(IdempotencyLeases.RenewalPeriod);
            var now = leaseClock.GetUtcNow().ToUnixTimeMilliseconds();
            await Eventually.True(async () => await host.Storage.ScalarAsync(
                    $"SELECT COUNT(*) FROM gateway_idempotency WHERE idem_key = 'long-running' AND claimed_ms = {now}") == 1,
                $"the lease of the running request to be renewed at {second} s");
        }
        Assert.Equal(1, gate.Calls);
        Assert.False(retry.IsCompleted, "the retry waits for the running request");

        gate.Open();
        var answers = await Task.WhenAll(first, retry);
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, a.ToString()));
        Assert.Equal((null, "true"), (answers[0].Header("Idempotent-Replayed"), answers[1].Header("Idempotent-Replayed")));
        Assert.Equal(answers[0].Body, answers[1].Body);
        Assert.Equal(1, gate.Calls);
        Assert.Equal(1, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM operation_list"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_key_whose_gateway_stopped_renewing_is_taken_over_by_a_retry_once_its_lease_expires(string provider)
    {
        var leaseClock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var gate = new CreateGate(open: true);
        var host = await StartAsync(provider, configure: b => Configure(b, leaseClock, gate));
        var at = host.Token("coordinator", "AT");
        var body = Demo.Operation(TimeProvider.System.GetUtcNow(), ["AL"]);
        // What a gateway killed while acting leaves behind: the key claimed with this request's hash (that of the same request
        // answered under another key: the hash covers method, path and body), pending, and no one renewing it.
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync(Operations, at, body, idempotencyKey: "answered")).Status);
        var claimed = leaseClock.GetUtcNow().ToUnixTimeMilliseconds();
        await host.Storage.ExecuteAsync($"""
            INSERT INTO gateway_idempotency (caller, idem_key, request_hash, state, created_ms, claimed_ms)
            SELECT caller, 'orphaned', request_hash, 'pending', created_ms, {claimed} FROM gateway_idempotency WHERE idem_key = 'answered'
            """);

        var retry = host.PostAsync(Operations, at, body, idempotencyKey: "orphaned");
        leaseClock.Advance(IdempotencyLeases.Expiry);
        // Not yet expired (older than the expiry is): the retry goes on waiting. A wait is all that can show a non-event.
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        Assert.False(retry.IsCompleted, "the retry waits while the lease is not older than the expiry");
        Assert.Equal(1, gate.Calls);

        leaseClock.Advance(TimeSpan.FromMilliseconds(1));
        var answer = await retry.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        Assert.Null(answer.Header("Idempotent-Replayed"));
        Assert.Equal(2, gate.Calls);
        Assert.Equal(1, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency WHERE idem_key = 'orphaned' AND state = 'done'"));
    }

    private static void Configure(WebApplicationBuilder builder, FakeTimeProvider leaseClock, CreateGate gate)
    {
        builder.Services.AddKeyedSingleton<TimeProvider>(IdempotencyLeases.ClockKey, leaseClock);
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(gate);
    }

    /// <summary>A barrier in the operation grain's <c>Create</c>: counts the calls, and holds them until opened.</summary>
    private sealed class CreateGate(bool open) : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _open = open ? CompletedSource() : new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public void Open() => _open.TrySetResult();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IReturnOperationGrain.Create))
            {
                Interlocked.Increment(ref _calls);
                Entered.TrySetResult();
                await _open.Task;
            }
            await context.Invoke();
        }

        private static TaskCompletionSource CompletedSource()
        {
            var source = new TaskCompletionSource();
            source.SetResult();
            return source;
        }
    }
}
