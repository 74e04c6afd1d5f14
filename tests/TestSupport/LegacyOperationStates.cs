namespace ReturnOps.TestSupport;

/// <summary>
/// Turns the stored operations back into their shape from before the booking rows (bookingrows 1): the bookings inside the
/// state's JSON, in list order, with no revision, and no booking row. Tests of upgrades start from it.
/// </summary>
public static class LegacyOperationStates
{
    public static string Sql(string provider) => (provider == "Postgres" ? Postgres : Sqlite) + "; DELETE FROM booking_state";

    private const string Postgres = """
        UPDATE grain_state g SET payload = (jsonb_set(g.payload::jsonb, '{bookings}',
            coalesce((SELECT jsonb_agg(b.payload::jsonb ORDER BY b.position) FROM booking_state b WHERE b.operation_id = g.grain_key), '[]'::jsonb))
            - 'revision')::text
         WHERE g.grain_type = 'return-operation' AND g.payload IS NOT NULL
        """;

    private const string Sqlite = """
        UPDATE grain_state SET payload = json_remove(json_set(payload, '$.bookings',
            json(coalesce((SELECT json_group_array(json(p)) FROM (SELECT b.payload AS p FROM booking_state b WHERE b.operation_id = grain_state.grain_key ORDER BY b.position)), '[]'))),
            '$.revision')
         WHERE grain_type = 'return-operation' AND payload IS NOT NULL
        """;
}
