using System.Globalization;
using System.Text;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Every domain row as text, for "a refused request changed nothing": grain states with their versions, the operations'
/// booking rows, the outbox, Orleans' reminders and the read models. Compare a snapshot before and after.
/// </summary>
public static class DomainRows
{
    public static async Task<string> SnapshotAsync(GatewayHost host)
    {
        var text = new StringBuilder();
        await using var connection = await host.Database.DataSource.OpenConnectionAsync();
        foreach (var sql in new[]
        {
            "SELECT grain_type, grain_key, version, payload FROM grain_state ORDER BY grain_type, grain_key",
            "SELECT message_id, destination, type, payload FROM outbox ORDER BY id",
            "SELECT GrainId, ReminderName, StartTime, Period FROM OrleansRemindersV2 ORDER BY GrainId, ReminderName",
            "SELECT * FROM operation_list ORDER BY id",
            "SELECT * FROM operation_participants ORDER BY id",
            "SELECT * FROM returnee_list ORDER BY id",
            "SELECT * FROM readmission_requests ORDER BY id",
            "SELECT * FROM operation_bookings ORDER BY id",
            "SELECT * FROM booking_state ORDER BY id",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            text.Append(sql).Append('\n');
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}
