namespace ReturnOps.Gateway.Hosting;

/// <summary>Settings of the HTTP edge (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest accepted request body; Kestrel answers 413 above it.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Requests one caller (token <c>sub</c>, or address when anonymous) may make per window.</summary>
    public int RateLimitPermits { get; set; } = 300;

    public int RateLimitWindowSeconds { get; set; } = 10;

    /// <summary>How long a duplicate POST waits for the first one with the same Idempotency-Key.</summary>
    public int IdempotencyWaitSeconds { get; set; } = 30;

    /// <summary>
    /// How often the audit entries grains wrote with their state are sealed into the chain (<c>AuditSealing</c>); every read
    /// of the log seals first anyway. 0 turns the background sealing off (a test that looks at entries as written).
    /// </summary>
    public int AuditSealSeconds { get; set; } = 1;

    /// <summary>
    /// Co-hosts an Orleans silo (the default: one process, the README's first command). <c>false</c>: the gateway is only a
    /// client of a cluster of silo replicas found in PostgreSQL, which needs <c>Cluster:Membership=AdoNet</c>.
    /// </summary>
    public bool HostsSilo { get; set; } = true;

    /// <summary>Event streams one caller (<c>sub</c>, role and country) may hold open at once; beyond it 429.</summary>
    public int MaxStreamsPerCaller { get; set; } = 8;

    /// <summary>
    /// Bearer token a scraper must send to read <c>/metrics</c>. Unset: <c>/metrics</c> answers loopback callers only.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>How long a scrape reuses the database-backed gauges (outbox backlog, booked seats) before reading them again.</summary>
    public int MetricsCacheSeconds { get; set; } = 15;

    /// <summary>Seeds the domain's demo scenario (returnees, operations) at start; the participants are seeded regardless.</summary>
    public bool SeedDemoData { get; set; }
}
