namespace ReturnOps.Silo.Messaging;

/// <summary>
/// How long a failed message waits before its next attempt: exponential from <see cref="MessagingOptions.RetryBaseDelay"/>,
/// capped at <see cref="MessagingOptions.RetryMaxDelay"/>, with "equal jitter" (half fixed, half random) so that lanes
/// failing together do not retry together.
/// </summary>
internal sealed class RetryBackoff(MessagingOptions options)
{
    private readonly Lock _randomLock = new();

    public TimeSpan After(int attempts)
    {
        var exponential = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        double random;
        // Random is not thread-safe, and lanes fail concurrently.
        lock (_randomLock)
        {
            random = options.Random.NextDouble();
        }
        return TimeSpan.FromMilliseconds(exponential / 2 + random * exponential / 2);
    }
}
