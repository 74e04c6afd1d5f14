using System.Collections.Concurrent;
using System.Text;
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

    private static readonly ConcurrentDictionary<(string Table, string Columns), string> s_upserts = new();
    private static readonly ConcurrentDictionary<(string Table, string Columns, int Rows), string> s_upsertRows = new();
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

    /// <summary>A DELETE of <paramref name="rows"/> rows of <paramref name="table"/> by id (<c>@id{n}</c>).</summary>
    public static string ReadModelDeleteRows(string table, int rows) => s_deleteRows.GetOrAdd((table, rows), static shape =>
        $"DELETE FROM {Identifier(shape.Table)} WHERE id IN (" + string.Join(", ", Enumerable.Range(0, shape.Rows).Select(i => "@id" + i)) + ")");

    /// <summary>An upsert for a read-model row; identifiers are checked because they become SQL text.</summary>
    public static string ReadModelUpsert(ReadModelUpsert write) =>
        s_upserts.GetOrAdd((write.Table, string.Join(',', write.Columns.Keys)), static (shape, w) =>
        {
            var table = Identifier(w.Table);
            var names = w.Columns.Keys.Select(Identifier).ToList();
            var sql = new StringBuilder($"INSERT INTO {table} (id");
            foreach (var name in names)
            {
                sql.Append(", ").Append(name);
            }
            sql.Append(") VALUES (@id");
            for (var i = 0; i < names.Count; i++)
            {
                sql.Append(", @c").Append(i);
            }
            sql.Append(") ON CONFLICT (id) DO ");
            sql.Append(names.Count == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", names.Select(n => $"{n} = excluded.{n}")));
            return sql.ToString();
        }, write);

    public static string ReadModelDelete(ReadModelDelete write) => $"DELETE FROM {Identifier(write.Table)} WHERE id = @id";

    private static string Identifier(string name) =>
        IdentifierPattern().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a plain SQL identifier.", nameof(name));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
