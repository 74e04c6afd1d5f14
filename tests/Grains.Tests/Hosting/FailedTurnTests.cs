using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>
/// A call that fails after changing memory must not leave that change visible (<c>TurnFilter</c> drops the
/// activation, Orleans alone would keep it); a refusal, thrown before anything changed, keeps the activation.
/// </summary>
public sealed class FailedTurnTests(SharedPostgres postgres) : TurnProbeTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_call_that_throws_after_changing_memory_leaves_no_trace_and_the_next_call_reads_storage(string provider)
    {
        await StartProbeAsync(provider);
        await Probe("f1").Record("stored", []);
        var before = await Probe("f1").Activation();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Probe("f1").ChangeThenFail("ghost", "ghost-message"));

        Assert.Equal("The turn failed after changing memory, before writing.", failure.Message);
        Assert.Equal(["stored"], await Probe("f1").Entries());
        Assert.NotEqual(before, await Probe("f1").Activation());
        Assert.Equal(0, await OutboxRows("ghost-message"));
        Assert.Equal(1, await StoredVersion("f1"));
    }

    [Fact]
    public async Task A_refusal_keeps_the_activation()
    {
        await StartProbeAsync("Sqlite");
        await Probe("f2").Record("stored", []);
        var before = await Probe("f2").Activation();

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Probe("f2").Refuse()));

        Assert.Equal(before, await Probe("f2").Activation());
        Assert.Equal(["stored"], await Probe("f2").Entries());
    }
}
