using System.Data.Common;
using System.Globalization;

namespace ReturnOps.Storage;

/// <summary>
/// Applies the migrations that <c>schema_migrations</c> does not record yet, in order (module, then version), inside the
/// caller's transaction: all of them or none. Each provider opens that transaction the way its database needs (PostgreSQL
/// under an advisory lock, so replicas starting together migrate one after the other; SQLite behind its single writer), and
/// gives each migration's text for its database. The bookkeeping SQL is the same on both.
/// </summary>
internal static class MigrationRunner
{
    public static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Migration> migrations,
        Func<Migration, string> sqlOf, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction,
            new("CREATE TABLE IF NOT EXISTS schema_migrations (module text NOT NULL, version integer NOT NULL, name text NOT NULL, PRIMARY KEY (module, version))"),
            cancellationToken);
        var applied = new HashSet<(string, long)>();
        await using (var read = StatementBatch.Command(connection, transaction, new Statement("SELECT module, version FROM schema_migrations")))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
            }
        }
        foreach (var migration in migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            if (applied.Contains((migration.Module, migration.Version)))
            {
                continue;
            }
            await ExecuteAsync(connection, transaction, new(sqlOf(migration)), cancellationToken);
            await ExecuteAsync(connection, transaction, new("INSERT INTO schema_migrations (module, version, name) VALUES (@m, @v, @n)",
                ("@m", migration.Module), ("@v", migration.Version), ("@n", migration.Name)), cancellationToken);
        }
    }

    /// <summary>As a command, not a batch: a migration's text may hold several statements.</summary>
    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, Statement statement, CancellationToken cancellationToken)
    {
        await using var command = StatementBatch.Command(connection, transaction, statement);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
