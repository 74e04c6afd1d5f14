using ReturnOps.Storage;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// A retention job of the gateway's own tables (stored answers, complaints): every <paramref name="period"/> on the domain clock,
/// first a minute after start, it erases what is past its time. Storage being away only postpones it to the next run: what is
/// not erased now is erased then, and nothing else depends on it.
/// </summary>
internal abstract partial class RetentionJob(TimeProvider clock, TimeSpan period, ILogger logger) : IHostedService, IAsyncDisposable
{
    private ITimer? _timer;

    /// <summary>What the job erases, for the log: "expired idempotency keys".</summary>
    protected abstract string What { get; }

    protected abstract Task EraseAsync(CancellationToken cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = clock.CreateTimer(_ => _ = RunAsync(), null, TimeSpan.FromMinutes(1), period);
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

    private async Task RunAsync()
    {
        try
        {
            await EraseAsync(CancellationToken.None);
        }
        catch (StorageUnavailableException ex)
        {
            LogEraseFailed(logger, What, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} could not be erased now (the next run will): {Reason}")]
    private static partial void LogEraseFailed(ILogger logger, string what, string reason);
}
