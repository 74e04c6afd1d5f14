using ReturnOps.Runtime;

namespace ReturnOps.Silo.Hosting;

/// <summary>
/// Runs the silo's grain runtime with the host: migrations and reminders start before requests are served or
/// messages dispatched; on stop (SIGTERM), reminders in flight finish and activations are deactivated.
/// </summary>
internal sealed class GrainRuntimeHost(GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
