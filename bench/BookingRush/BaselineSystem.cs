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
/// server with the same connection string (pool of 100) as the gateway; with two replicas, two such apps over the one
/// database, the clients spread over both as over ReturnOps' two gateways. Operations and returnees are inserted by SQL.
/// Tokens are the gateway's own, signed with the same key.
/// </summary>
public sealed class BaselineSystem : BookingSystem
{
    private readonly List<WebApplication> _apps = [];
    private readonly List<HttpClient> _http = [];
    private NpgsqlDataSource _data = null!;
    private Dictionary<string, string> _tokens = [];

    public override string Name => "row-locking baseline";

    public static async Task<BaselineSystem> StartAsync(PostgresServer server, IPlan plan, int replicas)
    {
        var system = new BaselineSystem();
        var connectionString = await server.CreateDatabaseAsync();
        for (var i = 0; i < replicas; i++)
        {
            system._apps.Add(BaselineApp.Build(connectionString, IReturnOpsHost.SigningKey, "http://127.0.0.1:0"));
        }
        system._data = system._apps[0].Services.GetRequiredService<NpgsqlDataSource>();
        await BaselineSchema.CreateAsync(system._data);
        var now = TimeProvider.System.GetUtcNow();
        await using (var operations = system._data.CreateCommand("""
            INSERT INTO operations (id, organiser, status, capacity, departure, booking_deadline)
            SELECT 'op-' || n, 'AT', 'Announced', @capacity, @departure, @deadline FROM generate_series(0, @last) AS n
            """))
        {
            operations.Parameters.AddWithValue("capacity", plan.Capacity);
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
        foreach (var app in system._apps)
        {
            await app.StartAsync();
            system._http.Add(NewClient(new Uri(app.Urls.First())));
        }
        var settings = TokenSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = IReturnOpsHost.SigningKey }).Build(), isDevelopment: false);
        var issuer = new TokenIssuer(settings, TimeProvider.System);
        system._tokens = RushPlan.Countries.ToDictionary(c => c, c => issuer.Issue("coordinator-" + c.ToLowerInvariant(), "coordinator", c));
        return system;
    }

    public override Task<Answer> BookAsync(PlannedBooking booking) =>
        PostBookingAsync(Next(_http), $"/operations/op-{booking.Operation}/bookings", _tokens[booking.Country], booking);

    public override Task<Answer> CancelAsync(int operation, string country, string bookingId) =>
        DeleteBookingAsync(Next(_http), $"/operations/op-{operation}/bookings/{bookingId}", _tokens[country]);

    /// <summary>
    /// From the tables: every booking of every operation. The operation's own counter of confirmed seats must equal the
    /// confirmed bookings' seats (the baseline keeps both), else the read-back fails.
    /// </summary>
    public override async Task<IReadOnlyList<StoredOperation>> ReadBackAsync()
    {
        var bookings = new Dictionary<string, List<StoredBooking>>();
        await using (var rows = _data.CreateCommand("SELECT operation_id, id, status, seats FROM bookings ORDER BY id"))
        await using (var reader = await rows.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var list = bookings.TryGetValue(reader.GetString(0), out var found) ? found : bookings[reader.GetString(0)] = [];
                list.Add(new StoredBooking(reader.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture), reader.GetString(2), reader.GetInt32(3)));
            }
        }
        var operations = new List<StoredOperation>();
        await using (var rows = _data.CreateCommand("SELECT id, capacity, confirmed_seats FROM operations ORDER BY substr(id, 4)::int"))
        await using (var reader = await rows.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var operation = new StoredOperation(reader.GetString(0), reader.GetInt32(1), bookings.GetValueOrDefault(reader.GetString(0)) ?? []);
                if (operation.ConfirmedSeats != reader.GetInt32(2))
                {
                    throw new InvalidOperationException($"{operation.Operation}: counter says {reader.GetInt32(2)} confirmed seats, bookings add up to {operation.ConfirmedSeats}.");
                }
                operations.Add(operation);
            }
        }
        return operations;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var http in _http)
        {
            http.Dispose();
        }
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
