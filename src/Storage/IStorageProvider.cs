namespace ReturnOps.Storage;

/// <summary>One database behind the silo: grain state with its effects, the change feed, tables of our own, and their schema migrations.</summary>
public interface IStorageProvider : IAsyncDisposable
{
    /// <summary>Provider name as in configuration: <c>Postgres</c> or <c>Sqlite</c>.</summary>
    string Name { get; }

    /// <summary>Grain state rows with their outbox and read-model effects (behind Orleans' <c>IGrainStorage</c>).</summary>
    IGrainStateStore GrainStorage { get; }

    /// <summary>
    /// Plain ADO.NET access for modules that keep their own tables (read models, idempotency keys, audit,
    /// delivery state). Write SQL that both providers accept: <c>@name</c> parameters, <c>ON CONFLICT</c>,
    /// <c>RETURNING</c>, bigint/INTEGER columns, Unix-millisecond times.
    /// </summary>
    System.Data.Common.DbDataSource DataSource { get; }
    IChangeFeed ChangeFeed { get; }

    /// <summary>Applies every migration not yet applied, safely when several replicas start at once.</summary>
    Task MigrateAsync(IEnumerable<Migration> migrations, CancellationToken cancellationToken);

    /// <summary>Succeeds when the database answers.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
