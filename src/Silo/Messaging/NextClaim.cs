using System.Threading.Channels;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// When the claim loop looks at the outbox next: at once when woken (a NOTIFY, a lane finishing, a replay, a circuit
/// closing), when a message this replica rescheduled is due, or at the poll interval, whichever comes first.
/// </summary>
internal sealed class NextClaim(MessagingOptions options, TimeProvider clock)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private Task<bool>? _pendingWake;
    private long _earliestRetryMs = long.MaxValue;

    /// <summary>Ends the loop's current wait, or the next one if it is not waiting.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>A message of this replica's is due again at <paramref name="dueMs"/>: the loop looks then at the latest.</summary>
    public void RetryDueAt(long dueMs)
    {
        var seen = Interlocked.Read(ref _earliestRetryMs);
        while (dueMs < seen)
        {
            var previous = Interlocked.CompareExchange(ref _earliestRetryMs, dueMs, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }

    /// <summary>Waits until a wake, the earliest noted retry or the poll interval. Only the claim loop waits here.</summary>
    public async Task WaitAsync(CancellationToken stopping)
    {
        // The read outlives a poll timeout and is reused, so a wake arriving in between is not lost.
        _pendingWake ??= _wake.Reader.WaitToReadAsync(stopping).AsTask();
        try
        {
            var poll = Task.Delay(UntilNextLook(), clock, stopping);
            await Task.WhenAny(_pendingWake, poll);
        }
        finally
        {
            if (_pendingWake.IsCompleted)
            {
                _pendingWake = null;
                _wake.Reader.TryRead(out _);
            }
        }
    }

    /// <summary>
    /// The poll interval, or less when a message this replica rescheduled is due before it: a lane that waited for a
    /// retry or for a circuit's break is looked at when it is due, not up to a poll interval later. Only the earliest
    /// such time is kept; it is forgotten once due (the claim that follows finds the message, or the next poll does).
    /// </summary>
    private TimeSpan UntilNextLook()
    {
        var earliest = Interlocked.Read(ref _earliestRetryMs);
        var untilMs = earliest - clock.GetUtcNow().ToUnixTimeMilliseconds(); // long.MaxValue (none noted) stays far beyond any poll interval
        if (untilMs > options.PollInterval.TotalMilliseconds)
        {
            return options.PollInterval;
        }
        if (untilMs > 0)
        {
            return TimeSpan.FromMilliseconds(untilMs); // kept: a wake that ends this wait early must not lose it
        }
        Interlocked.CompareExchange(ref _earliestRetryMs, long.MaxValue, earliest);
        return TimeSpan.Zero;
    }
}
