namespace ReturnOps.TestSupport;

/// <summary>One PostgreSQL cluster for a whole test assembly, started on first use.</summary>
public sealed class SharedPostgres : IAsyncDisposable
{
    private readonly Lazy<Task<PostgresServer>> _server = new(PostgresServer.StartAsync);

    public Task<PostgresServer> GetAsync() => _server.Value;

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated)
        {
            await (await _server.Value).DisposeAsync();
        }
    }
}
