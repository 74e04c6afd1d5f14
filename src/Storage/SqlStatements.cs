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

    public const string InsertOutbox =
        "INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) " +
        "VALUES (@id, @destination, @lane, @type, @payload, @occurred, @occurred)";

    private static readonly ConcurrentDictionary<(string Table, string Columns), string> s_upserts = new();

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
