using Npgsql;

namespace ReturnOps.RowLockingBaseline;

/// <summary>The plain schema: one row per operation, returnee and booking; a returnee row names the booking that holds it.</summary>
public static class BaselineSchema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS operations (
            id text PRIMARY KEY,
            organiser text NOT NULL,
            status text NOT NULL,
            capacity int NOT NULL,
            confirmed_seats int NOT NULL DEFAULT 0,
            departure timestamptz NOT NULL,
            booking_deadline timestamptz NOT NULL,
            escorts_per_forced numeric NOT NULL DEFAULT 2);
        CREATE TABLE IF NOT EXISTS bookings (
            id bigserial PRIMARY KEY,
            operation_id text NOT NULL REFERENCES operations (id),
            country text NOT NULL,
            idempotency_key text NOT NULL UNIQUE,
            status text NOT NULL,
            returnees int NOT NULL,
            escorts int NOT NULL,
            other_staff int NOT NULL,
            seats int NOT NULL);
        CREATE INDEX IF NOT EXISTS bookings_operation ON bookings (operation_id);
        CREATE TABLE IF NOT EXISTS returnees (
            id text PRIMARY KEY,
            owner text NOT NULL,
            decision_enforceable bool NOT NULL,
            appeal_suspensive bool NOT NULL,
            non_refoulement_cleared bool NOT NULL,
            travel_document_valid_until date,
            voluntary bool NOT NULL,
            booking_id bigint REFERENCES bookings (id));
        CREATE TABLE IF NOT EXISTS notifications (
            id bigserial PRIMARY KEY,
            operation_id text NOT NULL,
            destination text NOT NULL,
            subject text NOT NULL,
            booking_id bigint NOT NULL,
            seats int NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            subject text NOT NULL,
            action text NOT NULL,
            operation_id text NOT NULL,
            booking_id bigint);
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Ddl);
        await command.ExecuteNonQueryAsync();
    }
}
