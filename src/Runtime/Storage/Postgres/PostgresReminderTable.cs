using Npgsql;

namespace ReturnOps.Runtime.Storage.Postgres;

internal sealed class PostgresReminderTable(PostgresStorageProvider provider) : IReminderTable
{
    // SKIP LOCKED lets replicas poll at once without waiting on each other's claims; the lease
    // (claimed_until_ms) hands a reminder to another replica if its claimer dies mid-tick.
    private const string ClaimDue = """
        UPDATE reminders r SET claimed_by = @owner, claimed_until_ms = @lease
        FROM (SELECT grain_type, grain_key, name FROM reminders
              WHERE due_ms <= @now AND (claimed_until_ms IS NULL OR claimed_until_ms < @now)
              ORDER BY due_ms LIMIT @limit FOR UPDATE SKIP LOCKED) due
        WHERE r.grain_type = due.grain_type AND r.grain_key = due.grain_key AND r.name = due.name
        RETURNING r.grain_type, r.grain_key, r.name, r.first_due_ms, r.due_ms, r.period_ms
        """;

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken) => Run(SqlStatements.UpsertReminder, c =>
    {
        Key(c, entry.Grain, entry.Name);
        c.Parameters.AddWithValue("first", entry.FirstDueMs);
        c.Parameters.AddWithValue("due", entry.DueMs);
        c.Parameters.AddWithValue("period", entry.PeriodMs);
    }, cancellationToken);

    public Task DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken) =>
        Run(SqlStatements.DeleteReminder, c => Key(c, grain, name), cancellationToken);

    public Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        await using var command = provider.Npgsql.CreateCommand(SqlStatements.ReadReminder);
        Key(command, grain, name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReminderEntry(grain, name, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2))
            : null;
    });

    public Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(string owner, long nowMs, long leaseUntilMs, int limit, CancellationToken cancellationToken) =>
        provider.Guard<IReadOnlyList<ReminderEntry>>(async () =>
        {
            await using var command = provider.Npgsql.CreateCommand(ClaimDue);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("lease", leaseUntilMs);
            command.Parameters.AddWithValue("now", nowMs);
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var claimed = new List<ReminderEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ReminderEntry(new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
            return claimed;
        });

    public Task CompleteTickAsync(ReminderEntry claimed, string owner, long? nextDueMs, CancellationToken cancellationToken) =>
        Run(nextDueMs is null ? SqlStatements.DeleteFiredReminder : SqlStatements.RescheduleReminder, c =>
        {
            Key(c, claimed.Grain, claimed.Name);
            c.Parameters.AddWithValue("owner", owner);
            c.Parameters.AddWithValue("due", claimed.DueMs);
            if (nextDueMs is { } next)
            {
                c.Parameters.AddWithValue("next", next);
            }
        }, cancellationToken);

    private static void Key(NpgsqlCommand command, GrainId grain, string name)
    {
        command.Parameters.AddWithValue("type", grain.Type);
        command.Parameters.AddWithValue("key", grain.Key);
        command.Parameters.AddWithValue("name", name);
    }

    private Task Run(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        await using var command = provider.Npgsql.CreateCommand(sql);
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    });
}
