using System.Data.Common;
using System.Text.Json;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// An operation's bookings, stored one row each beside the operation's state (issue 13): a booking writes its own row,
/// not the whole operation again. Before, the 600th booking rewrote 264 kB (the state's JSON with every booking, and a
/// list row per booking); a row is a few hundred bytes whatever the operation holds. Rows are written through the state
/// write's transaction (as read-model rows are), so state and rows never disagree; the grain loads them on activation.
/// </summary>
internal static class BookingRows
{
    public const string Module = "bookingrows";
    public const string Table = "booking_state";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        // Operations stored before keep their bookings in the state's JSON; the grain moves them here on its first write.
        new(Module, 1, "operation bookings as rows, one per booking",
            PostgresSql: Create("text", "integer"),
            SqliteSql: Create("TEXT", "INTEGER")),
    ];

    private static string Create(string text, string integer) => $"""
        CREATE TABLE {Table} (
            id {text} PRIMARY KEY, operation_id {text} NOT NULL, position {integer} NOT NULL, payload {text} NOT NULL);
        CREATE INDEX booking_state_operation ON {Table} (operation_id, position);
        """;

    private const string Select = $"SELECT payload FROM {Table} WHERE operation_id = @operation ORDER BY position";

    /// <summary>The stored JSON of one booking: what decides whether its row changed.</summary>
    public static string Json(Booking booking) => JsonSerializer.Serialize(booking, GrainsJsonContext.Default.Booking);

    /// <summary>The row of the booking at <paramref name="position"/> in the operation's list (bookings are only ever appended).</summary>
    public static ReadModelUpsert Row(string operationId, int position, string json) =>
        new(Table, operationId + "/" + position.ToString(System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, object?>
        {
            ["operation_id"] = operationId,
            ["position"] = position,
            ["payload"] = json,
        });

    /// <summary>The operation's bookings in list order, with the JSON each was read from.</summary>
    public static async Task<List<(Booking Booking, string Json)>> LoadAsync(DbDataSource database, string operationId)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = Select;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@operation";
            parameter.Value = operationId;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync();
            var bookings = new List<(Booking, string)>();
            while (await reader.ReadAsync())
            {
                var json = reader.GetString(0);
                bookings.Add((JsonSerializer.Deserialize(json, GrainsJsonContext.Default.Booking)!, json));
            }
            return bookings;
        }
        catch (DbException ex)
        {
            throw new StorageUnavailableException("The operation's bookings could not be read.", ex);
        }
    }
}
