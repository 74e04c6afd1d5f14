using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>Incoming and outgoing call filters see every call, its arguments and its result.</summary>
public sealed class FilterTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    private sealed class Recorder : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
    {
        public List<string> Seen { get; } = [];

        async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
        {
            lock (Seen)
            {
                Seen.Add($"in {context.Method} {context.Grain.GetType().Name} {context.Arguments}");
            }
            await context.Invoke();
            lock (Seen)
            {
                Seen.Add($"in-result {context.Result}");
            }
        }

        async Task IOutgoingGrainCallFilter.Invoke(IGrainCallContext context)
        {
            lock (Seen)
            {
                Seen.Add($"out {context.Method} {context.GrainId}");
            }
            await context.Invoke();
        }
    }

    [Fact]
    public async Task Filters_wrap_every_call_in_order_outgoing_then_incoming()
    {
        var recorder = new Recorder();
        var storage = await StorageAsync("Sqlite");
        await using var cluster = await TestCluster.StartAsync(storage,
            b => b.AddGrains(typeof(ProbeGrain).Assembly).AddJsonContext(TestJsonContext.Default),
            services: s => s
                .AddSingleton(Log)
                .AddSingleton<IIncomingGrainCallFilter>(recorder)
                .AddSingleton<IOutgoingGrainCallFilter>(recorder));

        Assert.Equal(6, await cluster[0].GetGrain<IProbeGrain>("f").Sum(1, 2, 3));

        Assert.Equal(
            ["out IProbeGrain.Sum probe/f", "in IProbeGrain.Sum ProbeGrain (1, 2, 3)", "in-result 6"],
            recorder.Seen);
    }

    [Fact]
    public async Task A_filter_that_throws_fails_the_call_with_its_exception()
    {
        var storage = await StorageAsync("Sqlite");
        await using var cluster = await TestCluster.StartAsync(storage,
            b => b.AddGrains(typeof(ProbeGrain).Assembly).AddJsonContext(TestJsonContext.Default),
            services: s => s.AddSingleton(Log).AddSingleton<IIncomingGrainCallFilter>(new Refuse()));

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => cluster[0].GetGrain<IProbeGrain>("f").Ping());
    }

    private sealed class Refuse : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) => throw new UnauthorizedAccessException("refused by filter");
    }

}
