using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReturnOps.Gateway.Auth;
using ReturnOps.RowLockingBaseline;
using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// The row-locking baseline (<see cref="BaselineApp"/>) on Kestrel in this process, over a fresh database on the same
/// server with the same connection string (pool of 100) as the gateway. Operations and returnees are inserted by SQL.
/// Tokens are the gateway's own, signed with the same key.
/// </summary>
public sealed class BaselineSystem : BookingSystem
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private NpgsqlDataSource _data = null!;
    private Dictionary<string, string> _tokens = [];

    public override string Name => "row-locking baseline";

    public static async Task<BaselineSystem> StartAsync(PostgresServer server, RushPlan plan)
    {
        var system = new BaselineSystem();
        var connectionString = await server.CreateDatabaseAsync();
        system._app = BaselineApp.Build(connectionString, ReturnOpsSystem.SigningKey, "http://127.0.0.1:0");
        system._data = system._app.Services.GetRequiredService<NpgsqlDataSource>();
        await BaselineSchema.CreateAsync(system._data);
        var now = TimeProvider.System.GetUtcNow();
        await using (var operations = system._data.CreateCommand("""
            INSERT INTO operations (id, organiser, status, capacity, departure, booking_deadline)
            SELECT 'op-' || n, 'AT', 'Announced', @capacity, @departure, @deadline FROM generate_series(0, @last) AS n
            """))
        {
            operations.Parameters.AddWithValue("capacity", RushPlan.Capacity);
            operations.Parameters.AddWithValue("departure", now.AddDays(20));
            operations.Parameters.AddWithValue("deadline", now.AddDays(10));
            operations.Parameters.AddWithValue("last", plan.Operations - 1);
            await operations.ExecuteNonQueryAsync();
        }
        var returnees = plan.Returnees.ToArray();
        await using (var insert = system._data.CreateCommand("""
            INSERT INTO returnees (id, owner, decision_enforceable, appeal_suspensive, non_refoulement_cleared, travel_document_valid_until, voluntary)
            SELECT r.id, r.owner, true, false, true, DATE '2030-12-31', false FROM unnest(@ids, @owners) AS r (id, owner)
            """))
        {
            insert.Parameters.AddWithValue("ids", returnees.Select(r => r.Returnee).ToArray());
            insert.Parameters.AddWithValue("owners", returnees.Select(r => r.Country).ToArray());
            await insert.ExecuteNonQueryAsync();
        }
        await using (var analyze = system._data.CreateCommand("ANALYZE"))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        await system._app.StartAsync();
        system._http = NewClient(new Uri(system._app.Urls.First()));
        var settings = TokenSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = ReturnOpsSystem.SigningKey }).Build(), isDevelopment: false);
        var issuer = new TokenIssuer(settings, TimeProvider.System);
        system._tokens = RushPlan.Countries.ToDictionary(c => c, c => issuer.Issue("coordinator-" + c.ToLowerInvariant(), "coordinator", c));
        return system;
    }

    public override Task<Outcome> BookAsync(PlannedBooking booking) =>
        PostBookingAsync(_http, $"/operations/op-{booking.Operation}/bookings", _tokens[booking.Country], booking);

    /// <summary>From the tables: bookings by status, and the seats they confirm beside the operation's own counter.</summary>
    public override async Task<IReadOnlyList<OperationTally>> TallyAsync()
    {
        await using var command = _data.CreateCommand("""
            SELECT o.id, o.capacity, o.confirmed_seats,
                   coalesce(sum(b.seats) FILTER (WHERE b.status = 'Confirmed'), 0)::int,
                   count(b.id) FILTER (WHERE b.status = 'Confirmed')::int,
                   count(b.id) FILTER (WHERE b.status = 'Waitlisted')::int
            FROM operations o LEFT JOIN bookings b ON b.operation_id = o.id
            GROUP BY o.id, o.capacity, o.confirmed_seats ORDER BY substr(o.id, 4)::int
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var tallies = new List<OperationTally>();
        while (await reader.ReadAsync())
        {
            var (counter, summed) = (reader.GetInt32(2), reader.GetInt32(3));
            if (counter != summed)
            {
                throw new InvalidOperationException($"{reader.GetString(0)}: counter says {counter} confirmed seats, bookings add up to {summed}.");
            }
            tallies.Add(new OperationTally(reader.GetString(0), reader.GetInt32(1), summed, reader.GetInt32(4), reader.GetInt32(5)));
        }
        return tallies;
    }

    public override async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
