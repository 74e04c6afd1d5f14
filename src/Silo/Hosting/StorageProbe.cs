using ReturnOps.Storage;

namespace ReturnOps.Silo.Hosting;

/// <summary>The readiness check of every replica: the shared database answers within two seconds.</summary>
public static class StorageProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Completes when the database answered; otherwise throws <see cref="StorageUnavailableException"/>.</summary>
    public static async Task PingAsync(IStorageProvider storage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await storage.PingAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not StorageUnavailableException && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException("The database does not answer.", ex);
        }
    }
}
