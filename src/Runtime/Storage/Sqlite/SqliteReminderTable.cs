using Microsoft.Data.Sqlite;

namespace ReturnOps.Runtime.Storage.Sqlite;

internal sealed class SqliteReminderTable(SqliteStorageProvider provider) : IReminderTable
{
    // SQLite has no row locks; the immediate transaction around this statement makes the claim atomic.
    private const string ClaimDue = """
        UPDATE reminders SET claimed_by = @owner, claimed_until_ms = @lease
        WHERE (grain_type, grain_key, name) IN (
            SELECT grain_type, grain_key, name FROM reminders
            WHERE due_ms <= @now AND (claimed_until_ms IS NULL OR claimed_until_ms < @now)
            ORDER BY due_ms LIMIT @limit)
        RETURNING grain_type, grain_key, name, first_due_ms, due_ms, period_ms
        """;

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken) => Run(SqlStatements.UpsertReminder, c =>
    {
        Key(c, entry.Grain, entry.Name);
        c.Parameters.AddWithValue("@first", entry.FirstDueMs);
        c.Parameters.AddWithValue("@due", entry.DueMs);
        c.Parameters.AddWithValue("@period", entry.PeriodMs);
    }, cancellationToken);

    public Task DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken) =>
        Run(SqlStatements.DeleteReminder, c => Key(c, grain, name), cancellationToken);

    public async Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        await using var command = new SqliteCommand(SqlStatements.ReadReminder, connection);
        Key(command, grain, name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReminderEntry(grain, name, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2))
            : null;
    }

    public Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(string owner, long nowMs, long leaseUntilMs, int limit, CancellationToken cancellationToken) =>
        provider.WriteAsync<IReadOnlyList<ReminderEntry>>(async (connection, tx) =>
        {
            await using var command = new SqliteCommand(ClaimDue, connection, tx);
            command.Parameters.AddWithValue("@owner", owner);
            command.Parameters.AddWithValue("@lease", leaseUntilMs);
            command.Parameters.AddWithValue("@now", nowMs);
            command.Parameters.AddWithValue("@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var claimed = new List<ReminderEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ReminderEntry(new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
            return claimed;
        }, cancellationToken);

    public Task CompleteTickAsync(ReminderEntry claimed, string owner, long? nextDueMs, CancellationToken cancellationToken) =>
        Run(nextDueMs is null ? SqlStatements.DeleteFiredReminder : SqlStatements.RescheduleReminder, c =>
        {
            Key(c, claimed.Grain, claimed.Name);
            c.Parameters.AddWithValue("@owner", owner);
            c.Parameters.AddWithValue("@due", claimed.DueMs);
            if (nextDueMs is { } next)
            {
                c.Parameters.AddWithValue("@next", next);
            }
        }, cancellationToken);

    private static void Key(SqliteCommand command, GrainId grain, string name)
    {
        command.Parameters.AddWithValue("@type", grain.Type);
        command.Parameters.AddWithValue("@key", grain.Key);
        command.Parameters.AddWithValue("@name", name);
    }

    private Task Run(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        provider.WriteAsync(async (connection, tx) =>
        {
            await using var command = new SqliteCommand(sql, connection, tx);
            bind(command);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
