namespace ReturnOps.Grains.ReadModels;

/// <summary>
/// Migration <c>grains</c> 5: <c>GET /bookings</c>, a coordinator's bookings on operations that have not ended, read in
/// one list instead of one request per operation (hundreds at ten years' volume, 3,000 operations). One row per booking
/// of a running operation (Announced, BookingClosed, Confirmed, Departed), written with the operation's state; the rows
/// of an operation that completes or is cancelled are deleted, so the list never walks ended operations.
/// The order is departure, operation, arrival (the booking's sequence); each index is led by the country the caller
/// always filters on, then by each optional filter, then by that order. PostgreSQL covers the listed columns with
/// <c>INCLUDE</c>; SQLite has none and reads the table row per listed booking (a page, at most 500 rows).
/// </summary>
internal static class BookingList
{
    private static string Table(string text, string integer, string bigint) => $"""
        CREATE TABLE {ReadModelSchema.Bookings} (
            id {text} PRIMARY KEY, operation_id {text} NOT NULL, booking_id {text} NOT NULL, country {text} NOT NULL,
            status {text} NOT NULL, sequence {bigint} NOT NULL, seats {integer} NOT NULL, returnees {integer} NOT NULL,
            suspended {integer} NOT NULL, type {text} NOT NULL, destinations {text} NOT NULL, operation_status {text} NOT NULL,
            departure_ms {bigint} NOT NULL);
        """;

    private const string Columns = "booking_id, status, seats, returnees, suspended, type, destinations, operation_status";

    public const string PostgresIndexes = $"""
        CREATE INDEX operation_bookings_country ON {ReadModelSchema.Bookings} (country, departure_ms, operation_id, sequence) INCLUDE ({Columns});
        CREATE INDEX operation_bookings_country_operation_status ON {ReadModelSchema.Bookings} (country, operation_status, departure_ms, operation_id, sequence);
        CREATE INDEX operation_bookings_country_status ON {ReadModelSchema.Bookings} (country, status, departure_ms, operation_id, sequence);
        """;

    public const string SqliteIndexes = $"""
        CREATE INDEX operation_bookings_country ON {ReadModelSchema.Bookings} (country, departure_ms, operation_id, sequence);
        CREATE INDEX operation_bookings_country_operation_status ON {ReadModelSchema.Bookings} (country, operation_status, departure_ms, operation_id, sequence);
        CREATE INDEX operation_bookings_country_status ON {ReadModelSchema.Bookings} (country, status, departure_ms, operation_id, sequence);
        """;

    public static string Postgres => Table("text", "integer", "bigint") + PostgresIndexes;

    public static string Sqlite => Table("TEXT", "INTEGER", "INTEGER") + SqliteIndexes;

    /// <summary>Operations stored before version 5: their bookings from the grain's JSON, the operation's columns from its list row.</summary>
    public const string PostgresBackfill = $"""
        INSERT INTO {ReadModelSchema.Bookings} (id, operation_id, booking_id, country, status, sequence, seats, returnees, suspended,
                                                type, destinations, operation_status, departure_ms)
        SELECT o.id || '/' || (b ->> 'id'), o.id, b ->> 'id', b ->> 'country', b ->> 'status', (b ->> 'sequence')::bigint,
               (b ->> 'seats')::integer, (b ->> 'returneeCount')::integer,
               (SELECT count(*) FROM jsonb_array_elements(coalesce(b -> 'returnees', '[]'::jsonb)) r WHERE (r ->> 'suspended') = 'true')::integer,
               o.type, o.destinations, o.status, o.departure_ms
          FROM {ReadModelSchema.Operations} o
          JOIN grain_state g ON g.grain_type = 'return-operation' AND g.grain_key = o.id AND g.payload IS NOT NULL
          CROSS JOIN LATERAL jsonb_array_elements(coalesce(g.payload::jsonb -> 'bookings', '[]'::jsonb)) b
         WHERE o.status IN ('Announced', 'BookingClosed', 'Confirmed', 'Departed')
        ON CONFLICT (id) DO NOTHING;
        """;

    public const string SqliteBackfill = $"""
        INSERT INTO {ReadModelSchema.Bookings} (id, operation_id, booking_id, country, status, sequence, seats, returnees, suspended,
                                                type, destinations, operation_status, departure_ms)
        SELECT o.id || '/' || json_extract(b.value, '$.id'), o.id, json_extract(b.value, '$.id'), json_extract(b.value, '$.country'),
               json_extract(b.value, '$.status'), json_extract(b.value, '$.sequence'), json_extract(b.value, '$.seats'),
               json_extract(b.value, '$.returneeCount'),
               (SELECT count(*) FROM json_each(coalesce(json_extract(b.value, '$.returnees'), '[]')) r WHERE json_extract(r.value, '$.suspended') = 1),
               o.type, o.destinations, o.status, o.departure_ms
          FROM {ReadModelSchema.Operations} o
          JOIN grain_state g ON g.grain_type = 'return-operation' AND g.grain_key = o.id AND g.payload IS NOT NULL
          JOIN json_each(g.payload, '$.bookings') b
         WHERE o.status IN ('Announced', 'BookingClosed', 'Confirmed', 'Departed')
        ON CONFLICT (id) DO NOTHING;
        """;
}
