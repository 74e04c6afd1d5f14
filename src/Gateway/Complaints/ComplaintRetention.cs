using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// Erases the personal data of complaints closed longer than <see cref="ComplaintLimits.RetentionDays"/> ago, as rule 15 erases a
/// returnee's after its operation: a complaint is personal data (of the complainant and of the people it names). Runs every hour
/// on the domain clock.
/// </summary>
internal sealed partial class ComplaintRetention(ComplaintStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, ILogger<ComplaintRetention> logger)
    : IHostedService, IAsyncDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = clock.CreateTimer(_ => _ = EraseAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
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

    private async Task EraseAsync()
    {
        try
        {
            await store.EraseExpiredAsync(CancellationToken.None);
        }
        catch (StorageUnavailableException ex)
        {
            LogEraseFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Complaints past their retention could not be erased: {Reason}")]
    private static partial void LogEraseFailed(ILogger logger, string reason);
}
