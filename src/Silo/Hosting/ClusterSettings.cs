namespace ReturnOps.Silo.Hosting;

/// <summary>
/// How a process finds the Orleans cluster (configuration section <c>Cluster</c>). Embedded (the default): one silo
/// with localhost clustering, no other process. <c>Cluster:Membership=AdoNet</c>: silos and clients meet in
/// PostgreSQL's membership table (Orleans' ADO.NET clustering), each silo on its own ports.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary><c>Localhost</c> (one process) or <c>AdoNet</c> (silos and gateways on PostgreSQL).</summary>
    public string Membership { get; set; } = "Localhost";

    /// <summary>Orleans' cluster id: silos and clients of one deployment share it.</summary>
    public string ClusterId { get; set; } = "returnops";

    /// <summary>Orleans' service id: stays the same across deployments (reminders and state are keyed by it).</summary>
    public string ServiceId { get; set; } = "returnops";

    /// <summary>The port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (gateway replicas) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; by default loopback when embedded, else the host's address.</summary>
    public string? AdvertisedAddress { get; set; }

    public bool IsAdoNet => Membership.Equals("AdoNet", StringComparison.OrdinalIgnoreCase);

    public static ClusterSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
        if (!settings.IsAdoNet && !settings.Membership.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Cluster:Membership must be Localhost or AdoNet, not '{settings.Membership}'.");
        }
        return settings;
    }
}
