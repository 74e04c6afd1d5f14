namespace ReturnOps.Silo.Hosting;

/// <summary>
/// What this replica is and what background work it does (configuration section <c>Silo</c>). Every silo hosts
/// grains and fires its share of Orleans' reminders; the outbox dispatcher runs on silos, never on gateways that
/// are only clients of the cluster.
/// </summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    /// <summary>Runs the outbox dispatcher: webhooks to partners and grain-to-grain messages.</summary>
    public bool Dispatcher { get; set; } = true;

    /// <summary>Names the replica in outbox claims and in Orleans' membership; by default host name, process id and a random suffix.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Bearer token a scraper must send to read a silo replica's <c>/metrics</c> (as <c>Gateway:MetricsToken</c> for a gateway).
    /// Unset: <c>/metrics</c> answers loopback callers only.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>
    /// Orleans' dashboard collects on this process (on by default; a gateway serves it at <c>/dashboard/</c>). Its metric
    /// reader observes every Orleans instrument each second, the grain directory cache counted entry by entry among them:
    /// measured at 7–8 % of a co-hosted silo's CPU in a booking rush (issue 13, docs/performance.md). Off: no collection,
    /// and <c>/dashboard/</c> is not served. Set it alike on every process of a cluster.
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>
    /// How often the dashboard samples its counters (Orleans' default is each second). The grain directory cache is counted
    /// entry by entry at every sample: at one second that was 4.6 % of a co-hosted silo's CPU in the steady booking rush
    /// (docs/performance.md, round seven); an admin's overview five seconds old costs a fifth of it.
    /// </summary>
    public TimeSpan DashboardSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The dashboard's options as this process sets them.</summary>
    public void ApplyTo(Orleans.Dashboard.DashboardOptions dashboard) =>
        dashboard.CounterUpdateIntervalMs = (int)Math.Max(1000, DashboardSampleInterval.TotalMilliseconds);

    /// <summary>The name in effect: <see cref="Name"/> or one made once per process.</summary>
    public string ReplicaName => Name is { Length: > 0 } name ? name : s_generated;

    private static readonly string s_generated = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
