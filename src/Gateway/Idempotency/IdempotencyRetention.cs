using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Idempotency;

/// <summary>Keeps idempotency keys for 24 hours, so stored answers (some with personal data) do not pile up.</summary>
internal sealed partial class IdempotencyRetention(IdempotencyStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, ILogger<IdempotencyRetention> logger) : IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = clock.CreateTimer(_ => _ = PurgeAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
    }

    private async Task PurgeAsync()
    {
        try
        {
            await store.PurgeAsync(KeyLifetime, CancellationToken.None);
        }
        catch (StorageUnavailableException ex)
        {
            LogPurgeFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired idempotency keys could not be purged: {Reason}")]
    private static partial void LogPurgeFailed(ILogger logger, string reason);
}
