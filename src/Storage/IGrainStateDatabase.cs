using System.Data.Common;

namespace ReturnOps.Storage;

/// <summary>
/// What the one <see cref="GrainStateStore"/> and the one messaging store need of their database, the parts that differ per
/// provider: how a connection opens and how its failures read (an unreachable PostgreSQL server, a busy SQLite file), how
/// writers take turns (SQLite has one writer), and who must hear of a committed write.
/// </summary>
internal interface IGrainStateDatabase
{
    /// <summary>Announces committed writes to every process's event streams.</summary>
    IChangeFeed ChangeFeed { get; }

    /// <summary>Runs <paramref name="read"/> on an open connection.</summary>
    Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> on an open connection and commits what it wrote if it returns; if it throws, nothing
    /// of it is stored. With <paramref name="transaction"/> false the one statement it runs may commit by itself, and the
    /// transaction it gets may be null.
    /// </summary>
    Task<T> WriteAsync<T>(bool transaction, Func<DbConnection, DbTransaction?, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>After a commit that stored outbox messages: wakes the dispatchers where they listen for it.</summary>
    void MessagesStored();

    /// <summary>
    /// Calls <paramref name="onStored"/> whenever another connection announces stored outbox messages
    /// (<see cref="MessagesStored"/>), until cancelled; returns at once where there is nothing to listen to.
    /// </summary>
    Task ListenForMessagesAsync(Action onStored, CancellationToken cancellationToken);
}
