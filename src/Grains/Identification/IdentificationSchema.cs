using System.Data.Common;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Identification;

/// <summary>
/// The identification requests' read model (module <see cref="Module"/>): one row per request, written with the grain's state,
/// for the partner's and the coordinator's lists and the secretariat's overdue counts. Ids, codes and times only.
/// The SQL is the same on PostgreSQL and SQLite (row values, LIMIT, @name parameters).
/// </summary>
public static class IdentificationSchema
{
    public const string Module = "identification";
    public const string Table = "identification_requests";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "identification requests: list per owner and destination, open requests by deadline",
            PostgresSql: Tables("text", "integer", "bigint"),
            SqliteSql: Tables("TEXT", "INTEGER", "INTEGER")),
        // Time to obtain a travel document per destination (issue 26 §5; the Court of Auditors' special report 17/2021 found it
        // was not collected): when the request was sent and when the document was recorded.
        new(Module, 2, "identification requests: requested and document-recorded times",
            PostgresSql: $"""
                ALTER TABLE {Table} ADD COLUMN requested_ms bigint NOT NULL DEFAULT 0;
                ALTER TABLE {Table} ADD COLUMN document_ms bigint;
                CREATE INDEX identification_requests_document ON {Table} (document_ms);
                """,
            SqliteSql: $"""
                ALTER TABLE {Table} ADD COLUMN requested_ms INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE {Table} ADD COLUMN document_ms INTEGER;
                CREATE INDEX identification_requests_document ON {Table} (document_ms);
                """),
        // Reads grain_state (module "runtime", applied after "identification"): an upgrade of its own, after every module.
        new(ReadModelSchema.UpgradeModule, 4, "identification requests: the times of the requests stored before identification 2",
            PostgresSql: $"""
                UPDATE {Table} t
                   SET requested_ms = coalesce((extract(epoch FROM (g.payload::jsonb -> 'request' ->> 'requestedAt')::timestamptz) * 1000)::bigint, 0),
                       document_ms = (extract(epoch FROM (g.payload::jsonb -> 'request' -> 'document' ->> 'issuedAt')::timestamptz) * 1000)::bigint
                  FROM grain_state g
                 WHERE g.grain_type = 'identification-request' AND g.grain_key = t.id AND g.payload IS NOT NULL;
                """,
            SqliteSql: $"""
                UPDATE {Table}
                   SET requested_ms = coalesce((SELECT CAST(round((julianday(json_extract(g.payload, '$.request.requestedAt')) - 2440587.5) * 86400000) AS INTEGER)
                                                FROM grain_state g WHERE g.grain_type = 'identification-request' AND g.grain_key = {Table}.id), 0),
                       document_ms = (SELECT CAST(round((julianday(json_extract(g.payload, '$.request.document.issuedAt')) - 2440587.5) * 86400000) AS INTEGER)
                                      FROM grain_state g WHERE g.grain_type = 'identification-request' AND g.grain_key = {Table}.id);
                """),
    ];

    // The lists are per owner or per destination, newest first (ids are UUID v7); the board reads only open requests.
    private static string Tables(string text, string integer, string bigint) => $"""
        CREATE TABLE {Table} (
            id {text} PRIMARY KEY, returnee_id {text} NOT NULL, owner {text} NOT NULL, destination {text} NOT NULL,
            status {text} NOT NULL, due_ms {bigint} NOT NULL, overdue {integer} NOT NULL, through_embassy {integer} NOT NULL);
        CREATE INDEX identification_requests_owner ON {Table} (owner, id);
        CREATE INDEX identification_requests_owner_returnee ON {Table} (owner, returnee_id, id);
        CREATE INDEX identification_requests_destination ON {Table} (destination, id);
        CREATE INDEX identification_requests_open ON {Table} (status, due_ms);
        """;

    internal static ReadModelUpsert Row(IdentificationRequestView r) =>
        new(Table, r.Id, new Dictionary<string, object?>
        {
            ["returnee_id"] = r.ReturneeId,
            ["owner"] = r.Owner,
            ["destination"] = r.Destination,
            ["status"] = r.Status.ToString(),
            ["due_ms"] = r.DueBy.ToUnixTimeMilliseconds(),
            ["overdue"] = r.Overdue ? 1 : 0,
            ["through_embassy"] = r.ThroughEmbassy ? 1 : 0,
            ["requested_ms"] = r.RequestedAt.ToUnixTimeMilliseconds(),
            ["document_ms"] = r.Document?.IssuedAt.ToUnixTimeMilliseconds(),
        });

    /// <summary>
    /// Statistics: the days from request to recorded document of each document recorded from @from_ms until @to_ms, by
    /// destination; with <paramref name="ofOwner"/>, of @owner's requests only. Columns: destination, elapsed milliseconds.
    /// </summary>
    public static string TimesToDocument(bool ofOwner) => $"""
        SELECT destination, document_ms - requested_ms AS elapsed_ms FROM {Table}
        WHERE document_ms >= @from_ms AND document_ms < @to_ms AND requested_ms > 0{(ofOwner ? " AND owner = @owner" : "")}
        ORDER BY destination, elapsed_ms
        """;

    /// <summary>
    /// The ids of every request about one case, from the list rows (written in the same transaction as each request's
    /// state). Erasure reads them besides the case's own list, which only holds requests opened since the case kept one.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RequestsAboutAsync(DbDataSource database, string owner, string returneeId)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync();
            await using var command = StatementBatch.Command(connection, null,
                new Statement($"SELECT id FROM {Table} WHERE owner = @owner AND returnee_id = @returnee ORDER BY id", ("@owner", owner), ("@returnee", returneeId)));
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new List<string>();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
            return ids;
        }
        catch (DbException ex)
        {
            throw new StorageUnavailableException("The case's identification requests could not be read.", ex);
        }
    }

    /// <summary>
    /// <c>GET /identification-requests</c>: @owner or @destination, and when asked for @status, @returnee (owner only),
    /// @after_id; @limit. Newest first. Columns: id, returnee_id, owner, destination, status, due_ms, overdue.
    /// </summary>
    public static string Page(bool byDestination, bool status, bool returnee, bool after)
    {
        var where = new List<string> { byDestination ? "destination = @destination" : "owner = @owner" };
        if (status)
        {
            where.Add("status = @status");
        }
        if (returnee)
        {
            where.Add("returnee_id = @returnee");
        }
        if (after)
        {
            where.Add("id < @after_id");
        }
        return $"SELECT id, returnee_id, owner, destination, status, due_ms, overdue FROM {Table}\nWHERE {string.Join(" AND ", where)}\nORDER BY id DESC LIMIT @limit";
    }

    /// <summary>
    /// <c>GET /identification-requests/overdue</c> at @now_ms, per destination and owning state: open requests past the
    /// deadline of their step (marked overdue by the reminder, or not yet: the reminder may be a minute late). Counts only.
    /// </summary>
    public const string Overdue = $"""
        SELECT destination, owner,
               sum(CASE WHEN status = 'AwaitingIdentity' THEN 1 ELSE 0 END) AS awaiting_identity,
               sum(CASE WHEN status = 'AwaitingDocument' THEN 1 ELSE 0 END) AS awaiting_document,
               min(due_ms) AS oldest_due_ms,
               max(through_embassy) AS through_embassy
        FROM {Table}
        WHERE status IN ('AwaitingIdentity', 'AwaitingDocument') AND (overdue = 1 OR due_ms < @now_ms)
        GROUP BY destination, owner ORDER BY destination, owner
        """;
}
