using System.Data;
using System.Globalization;
using System.Text.Json;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// Which booking holds each returnee (issue 22): one row per held returnee, written by the operation in the batch that stores
/// the booking (or its end), never by the returnee. The primary key is the backstop of "a returnee in at most one live booking":
/// two activations that ever both decided a booking of one returnee cannot both commit. The returnee grain keeps its hold in
/// memory (judged and held in one call, no write of its own) and reads its row when it activates or doubts a hold.
/// Before, every held returnee wrote its own state, a commit in series before the operation's.
/// </summary>
public static class ReturneeHolds
{
    public const string Module = "holds";
    public const string Table = "returnee_hold";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "returnee holds as rows the operation writes", PostgresSql: Create("text"), SqliteSql: Create("TEXT")),
        // Holds written before lived in each returnee's state (booking, bookedFor): they become rows once. An upgrade, since it
        // reads the runtime's grain_state (modules migrate in name order; "upgrade" sorts last).
        new(ReadModelSchema.UpgradeModule, 3, "returnee holds: the holds kept in returnee states before holds 1",
            PostgresSql: """
                INSERT INTO returnee_hold (id, operation_id, booking_id, context)
                SELECT grain_key, payload::jsonb #>> '{booking,operationId}', payload::jsonb #>> '{booking,bookingId}',
                       COALESCE(payload::jsonb #>> '{bookedFor}', '')
                FROM grain_state
                WHERE grain_type = 'returnee' AND payload IS NOT NULL AND payload::jsonb #>> '{booking,operationId}' IS NOT NULL
                ON CONFLICT DO NOTHING
                """,
            SqliteSql: """
                INSERT INTO returnee_hold (id, operation_id, booking_id, context)
                SELECT grain_key, json_extract(payload, '$.booking.operationId'), json_extract(payload, '$.booking.bookingId'),
                       COALESCE(json_extract(payload, '$.bookedFor'), '')
                FROM grain_state
                WHERE grain_type = 'returnee' AND payload IS NOT NULL AND json_extract(payload, '$.booking.operationId') IS NOT NULL
                ON CONFLICT DO NOTHING
                """),
    ];

    private static string Create(string text) => $"""
        CREATE TABLE {Table} (id {text} PRIMARY KEY, operation_id {text} NOT NULL, booking_id {text} NOT NULL, context {text} NOT NULL);
        CREATE INDEX returnee_hold_operation ON {Table} (operation_id);
        """;

    /// <summary>A returnee's hold: the booking and what it was judged against (the early warning re-judges a changed case on it).</summary>
    [GenerateSerializer]
    [Alias("ReturnOps.ReturneeHold")]
    public sealed record Hold([property: Id(0)] BookingRef Booking, [property: Id(1)] EligibilityContext? For);

    /// <summary>The row that holds <paramref name="returneeId"/> for <paramref name="hold"/>; a row already there fails the write.</summary>
    public static ReadModelInsert Insert(string returneeId, Hold hold) => new(Table, returneeId, new Dictionary<string, object?>
    {
        ["operation_id"] = hold.Booking.OperationId,
        ["booking_id"] = hold.Booking.BookingId,
        ["context"] = hold.For is null ? "" : JsonSerializer.Serialize(hold.For, GrainsJsonContext.Default.EligibilityContext),
    });

    public static ReadModelDelete Delete(string returneeId) => new(Table, returneeId);

    /// <summary>The returnee list shows a held returnee as booked on its operation; the returnee's own writes keep it so.</summary>
    public static ReadModelUpdate Booked(string returneeId, string operationId) => new(ReadModelSchema.Returnees, returneeId,
        new Dictionary<string, string> { ["status"] = nameof(ReturneeStatus.Booked), ["operation_id"] = operationId });

    /// <summary>
    /// Let go: available, as far as the operation knows. The returnee corrects its row when it is told (Release) if its own
    /// rules say otherwise (ineligible), in its own write.
    /// </summary>
    public static ReadModelUpdate Released(string returneeId) => new(ReadModelSchema.Returnees, returneeId,
        new Dictionary<string, string> { ["status"] = nameof(ReturneeStatus.Available), ["operation_id"] = "" });

    /// <summary>The hold of one returnee, or null.</summary>
    public static async Task<Hold?> OfAsync(IStorageProvider storage, string returneeId)
    {
        var rows = await QueryAsync(storage, $"SELECT operation_id, booking_id, context FROM {Table} WHERE id = @id", returneeId);
        return rows.Count == 0 ? null : Read(rows[0], 0);
    }

    /// <summary>
    /// Returnees' stored states and their holds in one statement, in the order of <paramref name="keys"/>: each grain's row and
    /// its hold row, either absent. A returnee activates for every booking that names it, cold in a rush: one round trip each was
    /// 2.43 of a booking's 3.14 statements (docs/performance.md, round seven); <see cref="ReturneeStateStorage"/> reads the
    /// activations that wait at the same time together.
    /// </summary>
    public static async Task<IReadOnlyList<(StoredState State, Hold? Hold)>> StatesWithHoldsAsync(IStorageProvider storage, IReadOnlyList<GrainKey> keys)
    {
        var type = keys[0].Type;
        if (keys.Any(k => k.Type != type))
        {
            throw new ArgumentException("The returnees' states are read for one grain type at a time.", nameof(keys));
        }
        var ids = keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
        // A VALUES list of parameters: the same text on PostgreSQL and SQLite (SQLite has no array parameters for ANY).
        var rows = await QueryAsync(storage, new Statement($"""
            WITH k(id) AS (VALUES {string.Join(", ", ids.Select((_, i) => $"(@id{i})"))})
            SELECT k.id, s.payload, s.version, h.operation_id, h.booking_id, h.context
            FROM k
            LEFT JOIN grain_state AS s ON s.grain_type = @type AND s.grain_key = k.id
            LEFT JOIN {Table} AS h ON h.id = k.id
            """, [new StatementParameter("@type", type, DbType.String), .. ids.Select((id, i) => new StatementParameter($"@id{i}", id, DbType.String))]));
        var read = rows.ToDictionary(r => (string)r[0]!, r => (new StoredState(r[1] as string,
            r[2] is null ? 0 : Convert.ToInt64(r[2], CultureInfo.InvariantCulture)), Read(r, 3)), StringComparer.Ordinal);
        return [.. keys.Select(k => read[k.Key])];
    }

    /// <summary>The hold in a row's columns from <paramref name="first"/> on (operation, booking, context), or null where there is none.</summary>
    private static Hold? Read(object?[] row, int first) => row[first] is not string operation ? null
        : new Hold(new BookingRef(operation, (string)row[first + 1]!),
            row[first + 2] is string { Length: > 0 } context ? JsonSerializer.Deserialize(context, GrainsJsonContext.Default.EligibilityContext) : null);

    /// <summary>The returnees one operation holds, with their booking ids.</summary>
    public static async Task<Dictionary<string, string>> OfOperationAsync(IStorageProvider storage, string operationId)
    {
        var rows = await QueryAsync(storage, $"SELECT id, booking_id FROM {Table} WHERE operation_id = @id", operationId);
        return rows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
    }

    private static Task<IReadOnlyList<object?[]>> QueryAsync(IStorageProvider storage, string sql, string id) =>
        QueryAsync(storage, new Statement(sql, [new StatementParameter("@id", id, DbType.String)]));

    private static async Task<IReadOnlyList<object?[]>> QueryAsync(IStorageProvider storage, Statement statement)
    {
        try
        {
            await using var connection = await storage.DataSource.OpenConnectionAsync();
            return (await StatementBatch.QueryAsync(connection, null, [statement], CancellationToken.None))[0];
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new StorageUnavailableException("The returnees' holds (or returnees' states with their holds) could not be read.", ex);
        }
    }

    /// <summary>How long a hold not yet seen stored is trusted before the returnee reads its row again (a batch commits in ms).</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);
}
