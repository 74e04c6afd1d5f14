using Orleans.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>
/// A turn's outbox messages and read-model rows commit in the same transaction as its state, or not at all
/// (our <c>GrainStateStorage</c> and <c>TurnFilter</c>: Orleans' own storage has no such guarantee).
/// </summary>
public sealed class EffectsWithStateTests(SharedPostgres postgres) : TurnProbeTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_turn_that_commits_leaves_exactly_its_outbox_and_read_model_rows(string provider)
    {
        await StartProbeAsync(provider);

        await Probe("p1").Record("a", ["m1", "m2"]);
        await Probe("p1").Record("b", ["m3"]);

        Assert.Equal(3, await Storage.ScalarAsync("SELECT count(*) FROM outbox WHERE lane = 'p1'"));
        Assert.Equal(2, await ViewEntries("p1"));
        Assert.Equal(2, await StoredVersion("p1"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_turn_whose_write_fails_in_the_database_commits_neither_state_nor_effects_and_the_next_call_reads_storage(string provider)
    {
        await StartProbeAsync(provider);
        await Probe("p2").Record("first", ["taken"]);
        var before = await Probe("p2").Activation();

        // A message id already in the outbox breaks its unique key: a real database error inside the turn's transaction.
        await Assert.ThrowsAnyAsync<Exception>(() => Probe("p2").Record("second", ["fresh", "taken"]));

        Assert.Equal(1, await StoredVersion("p2"));
        Assert.Equal(0, await OutboxRows("fresh"));
        Assert.Equal(1, await OutboxRows("taken"));
        Assert.Equal(1, await ViewEntries("p2"));
        // The failed turn's memory went with its activation: the next call answers from storage.
        Assert.Equal(["first"], await Probe("p2").Entries());
        Assert.NotEqual(before, await Probe("p2").Activation());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_turn_that_loses_the_version_race_on_its_replay_too_commits_no_effect_and_the_caller_is_told(string provider)
    {
        await StartProbeAsync(provider);
        await Probe("p3").Record("first", ["m-first"]);
        var before = await Probe("p3").Activation();
        var attempts = Attempts.Of("p3");

        await Assert.ThrowsAsync<InconsistentStateException>(() => Probe("p3").RecordRacedOnEveryAttempt("second", ["m-second"]));

        // The call and its one replay ran; neither committed anything, only the other writer's two version bumps did.
        Assert.Equal(2, Attempts.Of("p3") - attempts);
        Assert.Equal(3, await StoredVersion("p3"));
        Assert.Equal(0, await OutboxRows("m-second"));
        Assert.Equal(1, await ViewEntries("p3"));
        Assert.Equal(["first"], await Probe("p3").Entries());
        Assert.NotEqual(before, await Probe("p3").Activation());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Effects_staged_without_a_state_write_are_written_when_the_turn_ends(string provider)
    {
        await StartProbeAsync(provider);

        await Probe("p4").Notify("n1");

        Assert.Equal(1, await OutboxRows("n1"));
        Assert.Equal(0, await ViewEntries("p4"));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM grain_state WHERE grain_type = 'turn-probe'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Effects_of_a_failed_turn_are_discarded_and_the_next_turn_writes_only_its_own(string provider)
    {
        await StartProbeAsync(provider);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Probe("p5").ChangeThenFail("ghost", "lost"));
        await Probe("p5").Notify("kept");

        Assert.Equal(0, await OutboxRows("lost"));
        Assert.Equal(1, await OutboxRows("kept"));
        // The read-model row is the second turn's: no entries, not the failed turn's one.
        Assert.Equal(0, await ViewEntries("p5"));
    }
}
