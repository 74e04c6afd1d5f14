namespace ReturnOps.Silo.Hosting;

/// <summary>
/// A gateway replica that starts before any silo (a rollout starts pods in any order) waits for the cluster instead of
/// failing: Orleans retries the first connection while this says so. Once connected, Orleans reconnects by itself.
/// </summary>
internal sealed class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger, TimeProvider time) : IClientConnectionRetryFilter
{
    /// <summary>Past this the replica stops with the error: a wrong cluster id or database is a configuration error, not a late silo.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(2);
    private readonly long _started = time.GetTimestamp();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (time.GetElapsedTime(_started) > GiveUpAfter)
        {
            return false;
        }
        logger.LogWarning("No silo of the cluster answers yet ({Error}); trying again in {Delay}.", exception.Message, s_delay);
        await Task.Delay(s_delay, time, cancellationToken);
        return true;
    }
}
