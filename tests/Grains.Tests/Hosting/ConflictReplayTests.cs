using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>
/// A write over a version another writer changed is sent once more (<c>ConflictReplayFilter</c>, on clients and silos):
/// Orleans has dropped the conflicted activation, so the replay decides again on the stored state.
/// </summary>
public sealed class ConflictReplayTests(SharedPostgres postgres) : TurnProbeTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_write_over_a_changed_version_is_replayed_once_on_fresh_state_and_succeeds(string provider)
    {
        await StartProbeAsync(provider);
        await Probe("r1").Record("a-first", ["m1"]);
        var attempts = Attempts.Of("r1");
        // Another writer (here: an operator) replaces the row behind the activation's back.
        await Storage.ExecuteAsync(
            """UPDATE grain_state SET version = version + 1, payload = '{"members":["a-operator"]}' WHERE grain_type = 'turn-probe' AND grain_key = 'r1'""");

        var entries = await Probe("r1").Record("b-second", ["m2"]);

        // Decided on the operator's state, not on the stale memory holding "a-first".
        Assert.Equal(["a-operator", "b-second"], entries);
        Assert.Equal(["a-operator", "b-second"], await Probe("r1").Entries());
        Assert.Equal(2, Attempts.Of("r1") - attempts);
        Assert.Equal(3, await StoredVersion("r1"));
        Assert.Equal(1, await OutboxRows("m2"));
        Assert.Equal(2, await ViewEntries("r1"));
    }

    /// <summary>
    /// The replay can reach the silo while the conflicted activation is still deactivating. Orleans holds such calls and
    /// forwards them to a fresh activation, unless the deactivation reason carries an exception: then it rejects them
    /// with that exception (<c>ActivationData.ProcessRequestsToInvalidActivation</c>). A replay met that window now and then;
    /// here the probe's deactivation waits until the replay has been sent (<see cref="DeactivationWindow"/>), so each one
    /// meets it. Called inside the silo, where the window's filter sees the replay leave.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_replay_that_meets_the_conflicted_activation_deactivating_is_decided_on_fresh_state(string provider)
    {
        await StartProbeAsync(provider);
        var keys = Enumerable.Range(1, 3).Select(i => $"s{i}").ToList();
        foreach (var key in keys)
        {
            await Cluster[0].GetGrain<ITurnProbeGrain>(key).Record("a-first", []);
        }

        foreach (var key in keys)
        {
            Window.Arm(key);
            await Storage.ExecuteAsync($"UPDATE grain_state SET version = version + 1 WHERE grain_type = 'turn-probe' AND grain_key = '{key}'");
            Assert.Equal(["a-first", "b-second"], await Cluster[0].GetGrain<ITurnProbeGrain>(key).Record("b-second", []));
        }

        Assert.All(keys, key => Assert.Equal(3, Attempts.Of(key)));
        Assert.Equal(keys.Count, Window.HeldOpen); // every replay was sent while its activation was deactivating
    }

    [Fact]
    public async Task A_call_made_inside_a_silo_is_replayed_as_a_client_call_is()
    {
        await StartProbeAsync("Sqlite");
        var probe = Cluster[0].GetGrain<ITurnProbeGrain>("r2");
        await probe.Record("a-first", []);
        await Storage.ExecuteAsync("UPDATE grain_state SET version = version + 1 WHERE grain_type = 'turn-probe' AND grain_key = 'r2'");

        Assert.Equal(["a-first", "b-second"], await probe.Record("b-second", []));
        Assert.Equal(3, await StoredVersion("r2"));
    }
}
