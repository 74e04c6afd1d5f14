using Orleans.Configuration;

namespace ReturnOps.Silo.Hosting;

/// <summary>
/// How a process finds the Orleans cluster (configuration section <c>Cluster</c>). Embedded (the default): one silo
/// with localhost clustering, no other process. <c>Cluster:Membership=AdoNet</c>: silos and clients meet in
/// PostgreSQL's membership table (Orleans' ADO.NET clustering), each silo on its own ports.
/// Failure detection (<c>ProbeTimeout</c> ... <c>IAmAliveTablePublishTimeout</c>) and, on clients, the view of live silos
/// (<c>GatewayListRefreshPeriod</c>) and the response timeout keep Orleans' defaults unless set: docs/reliability.md has
/// the values the drill uses.
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

    /// <summary>The address other silos reach this one at; by default loopback when embedded, else the host's address (in Kubernetes the pod's IP).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// The silo runs in a Kubernetes pod (Orleans' Kubernetes hosting: silo name = pod name, advertised address = pod IP, a
    /// silo whose pod is gone is declared dead at once). Set explicitly (deploy/k8s), never guessed from
    /// <c>KUBERNETES_SERVICE_HOST</c>: it needs the pod's environment (POD_NAME, POD_NAMESPACE, POD_IP) and an RBAC role
    /// that only our manifests grant, and a silo in someone else's pod must not start watching pods. Needs AdoNet membership.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>Orleans' <see cref="ClusterMembershipOptions.ProbeTimeout"/>: the initial timeout of a liveness probe (5 s).</summary>
    public TimeSpan? ProbeTimeout { get; set; }

    /// <summary>Orleans' <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>: missed probes before a silo votes a peer dead (3).</summary>
    public int? NumMissedProbesLimit { get; set; }

    /// <summary>
    /// Orleans' <see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/> (2). Orleans never asks for more than half the
    /// active silos (rounded up), so with two silos the survivor's one vote is enough either way; 1 says so.
    /// </summary>
    public int? NumVotesForDeathDeclaration { get; set; }

    /// <summary>Orleans' <see cref="ClusterMembershipOptions.TableRefreshTimeout"/>: how often a silo reads the membership table (60 s).</summary>
    public TimeSpan? TableRefreshTimeout { get; set; }

    /// <summary>Orleans' <see cref="ClusterMembershipOptions.DeathVoteExpirationTimeout"/>: how long a vote counts (2 min).</summary>
    public TimeSpan? DeathVoteExpirationTimeout { get; set; }

    /// <summary>Orleans' <see cref="ClusterMembershipOptions.IAmAliveTablePublishTimeout"/>: the period of a silo's heartbeat row (30 s).</summary>
    public TimeSpan? IAmAliveTablePublishTimeout { get; set; }

    /// <summary>
    /// Clients only: Orleans' <see cref="GatewayOptions.GatewayListRefreshPeriod"/>, how often a gateway replica reads the live
    /// silos from the membership table (1 min). A silo that dies is dropped at once when its connection breaks; this bounds
    /// how long a client keeps trying to reconnect to it, and how long a new silo waits for clients.
    /// </summary>
    public TimeSpan? GatewayListRefreshPeriod { get; set; }

    /// <summary>
    /// Clients only: Orleans' <see cref="MessagingOptions.ResponseTimeout"/> (30 s). A call a gateway replica sent through a
    /// silo connection that then closed is answered by nothing: Orleans' client fails it only when this runs out. The gateway
    /// gives up the retriable ones at once (its <c>SiloConnectionWatch</c>); this bounds the others, and every call to a silo
    /// that hangs with its connections open. Silos break their own calls to a dead silo when it is declared dead.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; set; }

    public bool IsAdoNet => Membership.Equals("AdoNet", StringComparison.OrdinalIgnoreCase);

    public static ClusterSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
        if (!settings.IsAdoNet && !settings.Membership.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Cluster:Membership must be Localhost or AdoNet, not '{settings.Membership}'.");
        }
        if (settings.Kubernetes && !settings.IsAdoNet)
        {
            throw new InvalidOperationException("Cluster:Kubernetes=true needs Cluster:Membership=AdoNet: Kubernetes hosting watches pods but does not cluster silos.");
        }
        RequirePositive(nameof(ProbeTimeout), settings.ProbeTimeout);
        RequirePositive(nameof(TableRefreshTimeout), settings.TableRefreshTimeout);
        RequirePositive(nameof(DeathVoteExpirationTimeout), settings.DeathVoteExpirationTimeout);
        RequirePositive(nameof(IAmAliveTablePublishTimeout), settings.IAmAliveTablePublishTimeout);
        RequirePositive(nameof(GatewayListRefreshPeriod), settings.GatewayListRefreshPeriod);
        RequirePositive(nameof(ResponseTimeout), settings.ResponseTimeout);
        if (settings.NumMissedProbesLimit is < 1 || settings.NumVotesForDeathDeclaration is < 1)
        {
            throw new InvalidOperationException("Cluster:NumMissedProbesLimit and Cluster:NumVotesForDeathDeclaration must be at least 1.");
        }
        return settings;
    }

    /// <summary>Applies the failure-detection settings that are set; the others keep Orleans' defaults.</summary>
    public void ApplyTo(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout ?? options.ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit ?? options.NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration ?? options.NumVotesForDeathDeclaration;
        options.TableRefreshTimeout = TableRefreshTimeout ?? options.TableRefreshTimeout;
        options.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout ?? options.DeathVoteExpirationTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout ?? options.IAmAliveTablePublishTimeout;
    }

    /// <summary>Applies the client's gateway settings that are set.</summary>
    public void ApplyTo(GatewayOptions options) =>
        options.GatewayListRefreshPeriod = GatewayListRefreshPeriod ?? options.GatewayListRefreshPeriod;

    /// <summary>Applies the client's response timeout if set.</summary>
    public void ApplyTo(ClientMessagingOptions options) =>
        options.ResponseTimeout = ResponseTimeout ?? options.ResponseTimeout;

    private static void RequirePositive(string key, TimeSpan? value)
    {
        if (value is { } time && time <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:{key} must be a positive time span (e.g. 00:00:02), not {time}.");
        }
    }
}
