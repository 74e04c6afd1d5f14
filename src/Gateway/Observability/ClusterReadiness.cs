using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Observability;

/// <summary>Whether this gateway can reach grains now; <c>/health/ready</c> asks it before the database.</summary>
public interface IClusterReadiness
{
    /// <summary>Completes when grains can be called; otherwise throws a 503 <see cref="RequestProblemException"/>.</summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken);
}

/// <summary>Embedded: the co-hosted silo is an active member of its cluster (not still joining, not shutting down).</summary>
public sealed class CoHostedSiloReadiness(ILocalSiloDetails silo, IClusterMembershipService membership) : IClusterReadiness
{
    public Task EnsureReadyAsync(CancellationToken cancellationToken) =>
        membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active
            ? Task.CompletedTask
            : throw new RequestProblemException(StatusCodes.Status503ServiceUnavailable, "The co-hosted silo has not joined its cluster (or is leaving it).");
}

/// <summary>
/// A client of the cluster: a cheap call through a connected gateway (the management grain is a stateless worker on the
/// silo the client reaches) that finds at least one active silo, within <see cref="Timeout"/>.
/// </summary>
public sealed class ClusterClientReadiness(IGrainFactory grains) : IClusterReadiness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
            if (silos.Count > 0)
            {
                return;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever stops the call (no gateway, a timeout, the membership table unreadable) means not ready. The probe
            // answers anonymous callers: the cause stays in the log, not in the answer.
            throw new RequestProblemException(StatusCodes.Status503ServiceUnavailable, "The cluster cannot be reached.", ex);
        }
        throw new RequestProblemException(StatusCodes.Status503ServiceUnavailable, "The cluster has no active silo.");
    }
}
