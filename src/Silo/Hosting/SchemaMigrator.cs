using ReturnOps.Storage;

namespace ReturnOps.Silo.Hosting;

/// <summary>The migrations this process applies at start: its modules' and Orleans' tables.</summary>
public sealed record SchemaMigrations(IReadOnlyList<Migration> All);

/// <summary>
/// Applies the schema before anything else starts. Registered ahead of Orleans' own hosted service, so the membership,
/// reminder and state tables exist when the silo joins (hosted services start in registration order). Replicas starting
/// together are safe: PostgreSQL applies each migration once under an advisory lock.
/// </summary>
internal sealed class SchemaMigrator(IStorageProvider storage, SchemaMigrations migrations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.MigrateAsync(migrations.All, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
