namespace ReturnOps.Silo.Messaging;

/// <summary>Settings of the outbox dispatcher and its webhook pipelines.</summary>
public sealed class MessagingOptions
{
    /// <summary>Lanes claimed per round; each is worked through in order by one task.</summary>
    public int LanesPerClaim { get; set; } = 32;

    /// <summary>Messages of one lane claimed at once; they are sent one after another.</summary>
    public int MessagesPerLane { get; set; } = 20;

    /// <summary>Lanes worked on at once by this replica.</summary>
    public int MaxConcurrentLanes { get; set; } = 32;

    /// <summary>A claim not completed by then is free for another replica; longer than a lane's work.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the dispatcher uses a country's subscriptions before it reads them again. A change made through this
    /// process's <see cref="Subscriptions.SubscriptionService"/> takes effect at the next claim; one made by another
    /// process (a gateway replica) at most this much later. Zero reads them at every claim.
    /// </summary>
    public TimeSpan SubscriptionsCachedFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the outbox is read when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One HTTP attempt is abandoned after this.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Immediate retries inside one delivery, for a dropped connection or a single 503.</summary>
    public int InProcessRetries { get; set; } = 2;

    /// <summary>Base of the in-process exponential backoff (with jitter).</summary>
    public TimeSpan InProcessRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Share of failed attempts in <see cref="BreakerSamplingDuration"/> that opens a destination's circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts a circuit needs to see before it may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 4;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While open, a destination is not called at all; its lanes wait this long.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Base of the durable backoff between deliveries (exponential, with jitter, stored in <c>next_attempt_ms</c>).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed deliveries before a message is dead.</summary>
    public int MaxAttempts { get; set; } = 15;

    /// <summary>A message older than this that fails once more is dead, whatever its attempts.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// Webhook hosts allowed although their address or name is not public (docs/messaging.md, Destinations): a host name
    /// (any address it resolves to is then trusted), an IP address, or a network in CIDR form (<c>10.20.0.0/16</c>).
    /// Empty by default.
    /// </summary>
    public IList<string> AllowedWebhookHosts { get; } = new List<string>();

    /// <summary>Webhooks to loopback, over http too: for tests and the partner simulator only. Off by default.</summary>
    public bool AllowLoopbackWebhooks { get; set; }

    /// <summary>Jitter source; tests seed it.</summary>
    public Random Random { get; set; } = Random.Shared;
}
