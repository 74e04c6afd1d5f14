using System.Data.Common;
using System.Globalization;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Messaging;

/// <summary>An outbox row as a feed shows it.</summary>
public sealed record OutboxEntry(long Id, string MessageId, string Type, long OccurredMs, string Payload);

/// <summary>
/// The outbox as other modules read it (the gateway's notification feed and metrics, the silo's metrics), on a connection
/// of theirs: the table is messaging's, so the SQL that reads it is here, next to the SQL that writes it. One text for both
/// databases.
/// </summary>
public static class OutboxQueries
{
    /// <summary>
    /// Keyset paging on the outbox sequence, newest first: a new row gets a higher id and lands before the first
    /// page, so it never shifts the pages behind a cursor (offset paging would repeat or skip items).
    /// Served by outbox_feed (destination, id).
    /// </summary>
    private const string AddressedTo = """
        SELECT id, message_id, type, occurred_ms, payload FROM outbox
        WHERE destination = @destination AND id < @before
        ORDER BY id DESC LIMIT @limit
        """;

    private const string CountByStatus = "SELECT COUNT(*) FROM outbox WHERE status = @status";

    /// <summary>
    /// Up to <paramref name="limit"/> rows addressed to <paramref name="destination"/> below id <paramref name="beforeId"/>,
    /// newest first. Rows stay after dispatch, so the outbox is the record of every notification.
    /// </summary>
    public static async Task<IReadOnlyList<OutboxEntry>> AddressedToAsync(DbConnection connection, string destination, long beforeId, long limit,
        CancellationToken cancellationToken)
    {
        await using var command = StatementBatch.Command(connection, null,
            new Statement(AddressedTo, ("destination", destination), ("before", beforeId), ("limit", limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<OutboxEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new OutboxEntry(Long(reader, 0), reader.GetString(1), reader.GetString(2), Long(reader, 3), reader.GetString(4)));
        }
        return entries;
    }

    /// <summary>How many messages are in <paramref name="status"/> (<see cref="DeliveryStatus"/>): the backlog, the dead letters.</summary>
    public static async Task<long> CountAsync(DbConnection connection, string status, CancellationToken cancellationToken)
    {
        await using var command = StatementBatch.Command(connection, null, new Statement(CountByStatus, ("status", status)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
