using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ReturnOps.Storage;

/// <summary>
/// The statements both providers share word for word (PostgreSQL and SQLite agree on this subset);
/// provider-specific SQL lives beside each provider.
/// </summary>
internal static partial class SqlStatements
{
    public const string InsertState =
        "INSERT INTO grain_state (grain_type, grain_key, version, payload) VALUES (@type, @key, 1, @payload) ON CONFLICT DO NOTHING";

    public const string UpdateState =
        "UPDATE grain_state SET version = version + 1, payload = @payload WHERE grain_type = @type AND grain_key = @key AND version = @version";

    public const string ReadState =
        "SELECT payload, version FROM grain_state WHERE grain_type = @type AND grain_key = @key";

    private static readonly ConcurrentDictionary<(string Table, string Columns, int Rows), string> s_upsertRows = new();
    private static readonly ConcurrentDictionary<(string Table, string Columns, int Rows), string> s_insertRows = new();
    private static readonly ConcurrentDictionary<(string Table, string Columns, int Rows), string> s_updateRows = new();
    private static readonly ConcurrentDictionary<(string Table, int Rows), string> s_deleteRows = new();
    private static readonly ConcurrentDictionary<int, string> s_outboxRows = new();

    /// <summary>An INSERT of <paramref name="rows"/> outbox rows: parameters <c>@i{n} @d{n} @l{n} @t{n} @p{n} @o{n}</c> per row.</summary>
    public static string InsertOutboxRows(int rows) => s_outboxRows.GetOrAdd(rows, static n =>
        "INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) VALUES "
        + string.Join(", ", Enumerable.Range(0, n).Select(i => $"(@i{i}, @d{i}, @l{i}, @t{i}, @p{i}, @o{i}, @o{i})")));

    /// <summary>
    /// An upsert of <paramref name="rows"/> rows shaped as <paramref name="write"/> (parameters <c>@id{n}</c> and <c>@c{n}_{column}</c>):
    /// one statement however many rows. The rows' ids must be distinct (PostgreSQL refuses to update a row twice in one statement).
    /// </summary>
    public static string ReadModelUpsertRows(ReadModelUpsert write, int rows) =>
        s_upsertRows.GetOrAdd((write.Table, string.Join(',', write.Columns.Keys), rows), static (shape, w) =>
        {
            var names = w.Columns.Keys.Select(Identifier).ToList();
            var values = Enumerable.Range(0, shape.Rows)
                .Select(i => $"(@id{i}" + string.Concat(Enumerable.Range(0, names.Count).Select(c => $", @c{i}_{c}")) + ")");
            return $"INSERT INTO {Identifier(w.Table)} (id" + string.Concat(names.Select(n => ", " + n)) + ") VALUES " + string.Join(", ", values)
                + " ON CONFLICT (id) DO " + (names.Count == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", names.Select(n => $"{n} = excluded.{n}")));
        }, write);

    /// <summary>An INSERT of <paramref name="rows"/> rows that must not exist yet: no ON CONFLICT, so a row already there fails the write.</summary>
    public static string ReadModelInsertRows(ReadModelInsert write, int rows) =>
        s_insertRows.GetOrAdd((write.Table, string.Join(',', write.Columns.Keys), rows), static (shape, w) =>
            $"INSERT INTO {Identifier(w.Table)} (id" + string.Concat(w.Columns.Keys.Select(n => ", " + Identifier(n))) + ") VALUES "
            + string.Join(", ", Enumerable.Range(0, shape.Rows).Select(i => $"(@id{i}" + string.Concat(Enumerable.Range(0, w.Columns.Count).Select(c => $", @c{i}_{c}")) + ")")), write);

    /// <summary>
    /// An UPDATE of text columns of <paramref name="rows"/> existing rows from a VALUES list. Both databases name a VALUES list's
    /// columns column1, column2, ... (SQLite takes no column names after the alias), so one text serves both.
    /// </summary>
    public static string ReadModelUpdateRows(ReadModelUpdate write, int rows) =>
        s_updateRows.GetOrAdd((write.Table, string.Join(',', write.Columns.Keys), rows), static (shape, w) =>
        {
            var table = Identifier(w.Table);
            var names = w.Columns.Keys.Select(Identifier).ToList();
            return $"UPDATE {table} SET " + string.Join(", ", names.Select((n, c) => $"{n} = v.column{c + 2}"))
                + " FROM (VALUES " + string.Join(", ", Enumerable.Range(0, shape.Rows).Select(i => $"(@id{i}" + string.Concat(Enumerable.Range(0, names.Count).Select(c => $", @c{i}_{c}")) + ")"))
                + $") AS v WHERE {table}.id = v.column1";
        }, write);

    /// <summary>A DELETE of <paramref name="rows"/> rows of <paramref name="table"/> by id (<c>@id{n}</c>).</summary>
    public static string ReadModelDeleteRows(string table, int rows) => s_deleteRows.GetOrAdd((table, rows), static shape =>
        $"DELETE FROM {Identifier(shape.Table)} WHERE id IN (" + string.Join(", ", Enumerable.Range(0, shape.Rows).Select(i => "@id" + i)) + ")");

    public static string ReadModelDelete(ReadModelDelete write) => $"DELETE FROM {Identifier(write.Table)} WHERE id = @id";

    private static string Identifier(string name) =>
        IdentifierPattern().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a plain SQL identifier.", nameof(name));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
