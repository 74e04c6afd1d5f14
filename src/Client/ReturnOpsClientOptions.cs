namespace ReturnOps.Client;

/// <summary>How the client retries and waits; the defaults suit a member state's back-office system.</summary>
public sealed class ReturnOpsClientOptions
{
    /// <summary>Retries after the first attempt of a call (each with the same Idempotency-Key).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first backoff delay when the gateway gives no Retry-After; it doubles with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest backoff delay: the doubling stops here.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest Retry-After obeyed: a longer one is cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt's limit; a timed-out attempt is retried with the same key.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of the backoff and timeouts (tests give a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
