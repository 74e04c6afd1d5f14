using System.Collections.Concurrent;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>
/// Holds a conflicted probe's deactivation open until the call's replay has been sent, so that the replay always meets the
/// window in which Orleans still routes calls to the deactivating activation (rather than now and then). Armed per probe key by
/// the test; <see cref="ReplayWatch"/> sees the sends.
/// </summary>
public sealed class DeactivationWindow
{
    /// <summary>
    /// After the replay left the caller: time for the message to reach the activation's queue, which the silo-local call does at
    /// once. Later than this, the replay goes to a fresh activation and the test checks less than it names, never fails spuriously.
    /// </summary>
    private static readonly TimeSpan s_arrival = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, Armed> _armed = new(StringComparer.Ordinal);

    /// <summary>The next deactivation of probe <paramref name="key"/> waits for the second send of a call to it.</summary>
    public void Arm(string key) => _armed[key] = new Armed();

    /// <summary>How many deactivations waited for a replay that had been sent: one per armed key the test expects.</summary>
    public int HeldOpen => _armed.Values.Count(a => a.Held);

    internal void Sent(string key)
    {
        if (_armed.TryGetValue(key, out var armed) && Interlocked.Increment(ref armed.Sends) == 2)
        {
            armed.ReplaySent.TrySetResult();
        }
    }

    internal async Task WhileDeactivatingAsync(string key)
    {
        if (!_armed.TryGetValue(key, out var armed) || armed.Sends == 0 || armed.Held)
        {
            return;
        }
        await armed.ReplaySent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(s_arrival);
        armed.Held = true;
    }

    private sealed class Armed
    {
        public int Sends;
        public volatile bool Held;
        public TaskCompletionSource ReplaySent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Sees every call sent to a probe, the conflict filter's replays included (it is registered after that filter, so inside it).</summary>
public sealed class ReplayWatch(DeactivationWindow window) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.TargetId.Type.ToString() == "turn-probe")
        {
            window.Sent(context.TargetId.Key.ToString());
        }
        return context.Invoke();
    }
}
