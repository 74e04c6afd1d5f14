using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>One call at a time per activation, also across awaits; read-only calls may overlap.</summary>
public sealed class TurnTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Thousand_concurrent_calls_that_await_inside_their_turn_count_exactly_and_never_overlap(string provider)
    {
        var (_, cluster) = await StartAsync(provider);
        var counter = cluster[0].GetGrain<ICounterGrain>("c1");

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => counter.Add(1))));

        Assert.Equal(1000, await counter.Get());
        Assert.Equal(0, await counter.Overlaps());
        // Every call saw a distinct total: the turns ran one after another.
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
    }

    [Fact]
    public async Task Read_only_calls_overlap_each_other_but_a_writer_waits_for_them()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var probe = cluster[0].GetGrain<IProbeGrain>("p");
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writerGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writerGate.SetResult();

        var reader1 = probe.Peek(first, "r1");
        var reader2 = probe.Peek(second, "r2");
        var writer = probe.Hold(writerGate, "w");
        second.SetResult();

        // The second reader finished while the first still waits: they overlapped.
        Assert.Equal("r2", await reader2.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(reader1.IsCompleted);
        Assert.False(writer.IsCompleted, "a writer must not start while a reader runs");
        first.SetResult();
        Assert.Equal("w", await writer.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_writer_holds_every_other_call_back_across_its_awaits()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var probe = cluster[0].GetGrain<IProbeGrain>("p");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();

        var holding = probe.Hold(gate, "first");
        var ping = probe.Ping();
        var peek = probe.Peek(open, "reader");

        Assert.False(ping.IsCompleted);
        Assert.False(peek.IsCompleted);
        gate.SetResult();
        await Task.WhenAll(holding, ping, peek).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_exception_reaches_the_caller_unchanged()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var probe = cluster[0].GetGrain<IProbeGrain>("p");

        var thrown = await Assert.ThrowsAsync<ProbeFailure>(() => probe.Throw("no seats left"));

        Assert.Equal("no seats left", thrown.Message);
        await probe.Ping(); // the activation survives a failed call
    }

    [Fact]
    public async Task Arguments_and_value_task_results_pass_through_the_generated_reference()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var probe = cluster[0].GetGrain<IProbeGrain>("p");

        Assert.Equal(6, await probe.Sum(1, 2, 3));
        Assert.Equal(42, await probe.Twice(21));
    }

    [Fact]
    public async Task A_call_that_never_completes_times_out_with_a_message_naming_grain_and_method()
    {
        var (_, cluster) = await StartAsync("Sqlite", options: o => o.CallTimeout = TimeSpan.FromSeconds(30));
        var probe = cluster[0].GetGrain<IProbeGrain>("stuck");
        var never = new TaskCompletionSource();

        var call = probe.Hold(never, "x");
        cluster.Clock.Advance(TimeSpan.FromSeconds(31));

        var timeout = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        Assert.Contains("IProbeGrain.Hold", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("probe/stuck", timeout.Message, StringComparison.Ordinal);
        never.SetResult();
    }
}
