using ReturnOps.Runtime;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Runs the co-hosted silo with the web host: migrations and reminders start before requests are served.</summary>
internal sealed class GrainRuntimeHost(GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
