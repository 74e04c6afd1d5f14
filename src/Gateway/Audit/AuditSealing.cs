using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Audit;

/// <summary>
/// Seals the audit entries grains wrote with their state into the hash chain every second (<see cref="AuditLog.SealAsync"/>),
/// so an entry waits unhashed for about a second at most while no one reads the log; every read seals first anyway. Real time:
/// how long an entry stays unsealed is the machine's, not the domain's clock.
/// </summary>
internal sealed partial class AuditSealing(AuditLog log, IOptions<GatewayOptions> options, ILogger<AuditSealing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AuditSealSeconds <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.AuditSealSeconds), TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await log.SealAsync();
                }
                catch (StorageUnavailableException ex)
                {
                    LogSealFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the next gateway (or the next read) seals what is left.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit entries written with grain state could not be sealed yet: {Reason}")]
    private static partial void LogSealFailed(ILogger logger, string reason);
}
