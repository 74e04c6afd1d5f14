namespace ReturnOps.Silo.Messaging;

/// <summary>Runs the replica's <see cref="OutboxDispatcher"/> while its grain runtime runs.</summary>
internal sealed class OutboxDispatcherHost(OutboxDispatcher dispatcher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => dispatcher.StartAsync(cancellationToken);

    /// <summary>Hands unsent messages of the lanes in flight back, so that another replica takes them at once.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => dispatcher.StopAsync();
}
