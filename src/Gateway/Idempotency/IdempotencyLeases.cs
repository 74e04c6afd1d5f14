using System.Collections.Concurrent;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Idempotency;

/// <summary>
/// The leases of the keys this gateway's requests hold (issue 22): while a request that owns a key runs, the key's
/// <c>claimed_ms</c> is renewed every <see cref="RenewalPeriod"/>, all held keys in one statement; another gateway takes a
/// key over once its <c>claimed_ms</c> is older than <see cref="Expiry"/>, so a request of a gateway that died is acted on
/// again within 5 s of the death, and a live request is never taken over however long it runs.
/// </summary>
/// <remarks>
/// Leases run on their own clock (<see cref="ClockKey"/>, <see cref="TimeProvider.System"/> in production), never the domain
/// clock: a lease measures whether a process is alive, which happens in real time, while tests move the domain clock by days
/// (every live lease would expire) or freeze it (no dead one would). The renewals, the timestamps they write and the age
/// a waiting gateway compares are all read from this one clock, so they agree with each other; between gateways it assumes
/// their clocks agree to well within the 3 s margin below (NTP keeps them within milliseconds), as any lease compared on
/// two machines does. Tests drive it with a fake clock of their own.
/// </remarks>
public sealed partial class IdempotencyLeases(IdempotencyStore store, [FromKeyedServices(IdempotencyLeases.ClockKey)] TimeProvider clock,
    ILogger<IdempotencyLeases> logger) : BackgroundService
{
    /// <summary>The service key of the leases' real-time clock.</summary>
    public const string ClockKey = "ReturnOps.Leases";

    /// <summary>How often a gateway renews the keys its running requests hold.</summary>
    public static readonly TimeSpan RenewalPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How old a lease must be before another gateway takes its key over. 4 s with 1 s renewals: a live owner misses three
    /// renewals in a row (a stalled process, a slow database) before its key is taken from it, and a dead owner's key is
    /// free 4 s after its last renewal, which leaves a waiting retry's poll well inside the 5 s the issue asks for.
    /// </summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(4);

    private readonly ConcurrentDictionary<long, (string Caller, string Key)> _held = new();
    private long _next;

    /// <summary>Now on the leases' clock, in the milliseconds <c>claimed_ms</c> holds.</summary>
    public long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>True when a lease last renewed at <paramref name="claimedMs"/> has expired: its owner stopped.</summary>
    public bool Expired(long claimedMs) => NowMs - claimedMs > Expiry.TotalMilliseconds;

    /// <summary>Renews (caller, key) until the returned handle is disposed: for as long as the request that owns it runs.</summary>
    public IDisposable Hold(string caller, string key)
    {
        var id = Interlocked.Increment(ref _next);
        _held[id] = (caller, key);
        return new Held(this, id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewalPeriod, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // A key held twice (taken over from itself after a stall) is renewed once.
            var held = _held.Values.Distinct().ToList();
            if (held.Count == 0)
            {
                continue;
            }
            try
            {
                await store.RenewAsync(held, NowMs, stoppingToken);
            }
            catch (StorageUnavailableException ex)
            {
                // The next tick tries again; the expiry allows three missed renewals.
                LogRenewalFailed(logger, held.Count, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the leases of {Count} idempotency keys: {Reason}")]
    private static partial void LogRenewalFailed(ILogger logger, int count, string reason);

    private sealed class Held(IdempotencyLeases leases, long id) : IDisposable
    {
        public void Dispose() => leases._held.TryRemove(id, out _);
    }
}
