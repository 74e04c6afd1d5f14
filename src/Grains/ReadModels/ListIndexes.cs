namespace ReturnOps.Grains.ReadModels;

/// <summary>
/// Migration <c>grains</c> 4 (issue 16): every list is read in keyset order, newest first, so each has an index in its
/// order, led by what the caller always filters on (the owner, the destination) and then by each optional filter.
/// Ten years are about 500,000 cases (97,000 for DE) and 3,000 operations.
/// <para>
/// Before: PostgreSQL walked the primary key of <c>returnee_list</c> and threw away the other states' rows (29,610 rows read
/// for SI's first page), SQLite sorted all of an owner's rows in a temporary B-tree (119 ms for DE). With <c>(owner, id)</c>
/// and <c>(owner, status, id)</c> covering the listed columns, a trial took SI's list on PostgreSQL from 104 to 896 req/s and
/// DE's on SQLite from 40 to 1,261 req/s; the plans became an index-only scan (PostgreSQL) and a covering-index scan with
/// no sort (SQLite). PostgreSQL covers with <c>INCLUDE</c>; SQLite has none, so the listed columns trail the key.
/// With them, on 500,000 cases (bench/TenYears, docs/performance.md): DE's first page takes 0.27 ms on PostgreSQL (index-only
/// scan backward on returnee_list_owner_id) and 0.06 ms on SQLite (covering index, no sort); the operations' first page reads
/// 51 rows of operation_list_departure instead of sorting 3,000.
/// </para>
/// The reference is compared byte-wise (<c>COLLATE "C"</c> on PostgreSQL, SQLite's default BINARY), so that a prefix
/// search is an index range on both.
/// </summary>
internal static class ListIndexes
{
    /// <summary>The same on both databases: the operations and readmission lists need no covering columns.</summary>
    private const string OperationAndReadmissionIndexes = $"""
        -- Page 1 of the operations list sorted all 3,000 rows (p99 68 ms at 8 connections); an index in the list's order reads one page.
        DROP INDEX operation_list_status;
        CREATE INDEX operation_list_departure ON {ReadModelSchema.Operations} (departure_ms, id);
        CREATE INDEX operation_list_status ON {ReadModelSchema.Operations} (status, departure_ms, id);
        CREATE INDEX operation_list_organiser ON {ReadModelSchema.Operations} (organiser, departure_ms, id);
        -- Statistics read one year of operations: 300 of 3,000 rows (SQLite's p99 at 8 connections was 124-174 ms without it, load 24).
        CREATE INDEX operation_list_year ON {ReadModelSchema.Operations} (year, type, status);
        DROP INDEX readmission_requests_owner;
        DROP INDEX readmission_requests_destination;
        CREATE INDEX readmission_requests_owner ON {ReadModelSchema.ReadmissionRequests} (owner, id);
        CREATE INDEX readmission_requests_owner_status ON {ReadModelSchema.ReadmissionRequests} (owner, status, id);
        CREATE INDEX readmission_requests_destination ON {ReadModelSchema.ReadmissionRequests} (destination, id);
        CREATE INDEX readmission_requests_destination_status ON {ReadModelSchema.ReadmissionRequests} (destination, status, id);
        """;

    public const string Postgres = $"""
        ALTER TABLE {ReadModelSchema.Returnees} ADD COLUMN nationality text NOT NULL DEFAULT '';
        ALTER TABLE {ReadModelSchema.Returnees} ADD COLUMN reference text COLLATE "C" NOT NULL DEFAULT '';
        DROP INDEX returnee_list_owner;
        CREATE INDEX returnee_list_owner_id ON {ReadModelSchema.Returnees} (owner, id) INCLUDE (status, operation_id);
        CREATE INDEX returnee_list_owner_status ON {ReadModelSchema.Returnees} (owner, status, id) INCLUDE (operation_id);
        CREATE INDEX returnee_list_owner_nationality ON {ReadModelSchema.Returnees} (owner, nationality, id) INCLUDE (status, operation_id);
        CREATE INDEX returnee_list_owner_operation ON {ReadModelSchema.Returnees} (owner, operation_id, id) INCLUDE (status);
        CREATE INDEX returnee_list_owner_reference ON {ReadModelSchema.Returnees} (owner, reference, id) INCLUDE (status, operation_id);
        {OperationAndReadmissionIndexes}
        """;

    public const string Sqlite = $"""
        ALTER TABLE {ReadModelSchema.Returnees} ADD COLUMN nationality TEXT NOT NULL DEFAULT '';
        ALTER TABLE {ReadModelSchema.Returnees} ADD COLUMN reference TEXT NOT NULL DEFAULT '';
        DROP INDEX returnee_list_owner;
        CREATE INDEX returnee_list_owner_id ON {ReadModelSchema.Returnees} (owner, id, status, operation_id);
        CREATE INDEX returnee_list_owner_status ON {ReadModelSchema.Returnees} (owner, status, id, operation_id);
        CREATE INDEX returnee_list_owner_nationality ON {ReadModelSchema.Returnees} (owner, nationality, id, status, operation_id);
        CREATE INDEX returnee_list_owner_operation ON {ReadModelSchema.Returnees} (owner, operation_id, id, status);
        CREATE INDEX returnee_list_owner_reference ON {ReadModelSchema.Returnees} (owner, reference, id, status, operation_id);
        {OperationAndReadmissionIndexes}
        """;

    /// <summary>Cases written before version 4 get their nationality and reference from their stored state (the grain's JSON).</summary>
    public const string PostgresBackfill = $"""
        UPDATE {ReadModelSchema.Returnees} r
           SET nationality = coalesce(g.payload::jsonb -> 'case' ->> 'nationality', ''),
               reference = coalesce(g.payload::jsonb -> 'case' ->> 'reference', '')
          FROM grain_state g
         WHERE g.grain_type = 'returnee' AND g.grain_key = r.id AND g.payload IS NOT NULL AND r.status <> 'Erased';
        """;

    public const string SqliteBackfill = $"""
        UPDATE {ReadModelSchema.Returnees}
           SET nationality = coalesce((SELECT json_extract(g.payload, '$.case.nationality') FROM grain_state g
                                       WHERE g.grain_type = 'returnee' AND g.grain_key = {ReadModelSchema.Returnees}.id), ''),
               reference = coalesce((SELECT json_extract(g.payload, '$.case.reference') FROM grain_state g
                                     WHERE g.grain_type = 'returnee' AND g.grain_key = {ReadModelSchema.Returnees}.id), '')
         WHERE status <> 'Erased';
        """;
}
