using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// The real gateway (<see cref="GatewayApp.Build"/>, co-hosted silo, Production environment) on Kestrel over a fresh PostgreSQL
/// database. Operations are created and announced over HTTP, returnees registered through their grains; then the gateway is
/// restarted, so that the rush meets cold grains as it would days after registration. Bookings go either over HTTP
/// (<c>POST /api/v1/operations/{id}/bookings</c>, JWT, Idempotency-Key, audit) or straight to
/// <see cref="IReturnOperationGrain.RequestBooking"/> in the same process (the domain without HTTP).
/// </summary>
public sealed class ReturnOpsSystem : BookingSystem
{
    public const string SigningKey = "booking-rush-signing-key-of-at-least-32-bytes";
    private readonly bool _viaHttp;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private string _database = "";
    private string[] _operations = [];
    private Dictionary<string, string> _tokens = [];

    private ReturnOpsSystem(bool viaHttp) => _viaHttp = viaHttp;

    public override string Name => _viaHttp ? "ReturnOps HTTP" : "ReturnOps grain";

    public IServiceProvider Services => _app.Services;

    public static async Task<ReturnOpsSystem> StartAsync(PostgresServer server, RushPlan plan, bool viaHttp)
    {
        var system = new ReturnOpsSystem(viaHttp);
        var database = system._database = await server.CreateDatabaseAsync();
        await system.StartAppAsync(database);
        var organiser = system._tokens["AT"];
        var now = TimeProvider.System.GetUtcNow();
        var operations = new List<string>();
        for (var i = 0; i < plan.Operations; i++)
        {
            operations.Add(await system.CreateOperationAsync(organiser, now));
        }
        system._operations = [.. operations];
        var grains = system._app.Services.GetRequiredService<IGrainFactory>();
        await Parallel.ForEachAsync(plan.Returnees, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (r, _) =>
            await grains.GetGrain<IReturneeGrain>(r.Returnee).Register(r.Country, Case(r.Returnee)));
        await system.StopAppAsync();
        await system.StartAppAsync(database);
        return system;
    }

    public override async Task<Outcome> BookAsync(PlannedBooking booking)
    {
        var operation = _operations[booking.Operation];
        if (_viaHttp)
        {
            return await PostBookingAsync(_http, $"/api/v1/operations/{operation}/bookings", _tokens[booking.Country], booking);
        }
        var grain = _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IReturnOperationGrain>(operation);
        var request = new BookingRequest(ApiConventions.NewId("bk-", TimeProvider.System), booking.Returnees, booking.Escorts, 0, 0, 0, 0);
        try
        {
            var view = await grain.RequestBooking(Coordinator(booking.Country), request);
            return view.Status switch
            {
                BookingStatus.Confirmed => Outcome.Confirmed,
                BookingStatus.Waitlisted => Outcome.Waitlisted,
                var other => Note(Outcome.Error, "booked with status " + other),
            };
        }
        catch (DomainRuleException ex)
        {
            return Note(Outcome.Refused, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Note(Outcome.Error, ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>Read from the operation grains: every booking the organiser sees, by status, and the seats confirmed.</summary>
    public override async Task<IReadOnlyList<OperationTally>> TallyAsync()
    {
        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        var tallies = new List<OperationTally>();
        foreach (var id in _operations)
        {
            var operation = grains.GetGrain<IReturnOperationGrain>(id);
            var view = await operation.GetView() ?? throw new InvalidOperationException($"Operation {id} is gone.");
            var bookings = await operation.GetBookings(Coordinator("AT"));
            tallies.Add(new OperationTally(id, view.SeatCapacity, bookings.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats),
                bookings.Count(b => b.Status == BookingStatus.Confirmed), bookings.Count(b => b.Status == BookingStatus.Waitlisted)));
        }
        return tallies;
    }

    /// <summary>The largest operation's stored state (JSON characters): every booking turn rewrites all of it.</summary>
    public async Task<long> LargestOperationStateAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT coalesce(max(length(payload)), 0) FROM grain_state WHERE grain_key LIKE 'op-%'", connection);
        return Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async ValueTask DisposeAsync() => await StopAppAsync();

    private static Caller Coordinator(string country) => new(Caller.Coordinator, country, "coordinator-" + country.ToLowerInvariant());

    private static ReturneeCase Case(string id) =>
        new(id.ToUpperInvariant(), "AL", 1990, "M", null, false, null, true, false, false, true, new DateOnly(2030, 12, 31), false, null, [], false);

    private async Task StartAppAsync(string connectionString)
    {
        _app = GatewayApp.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Production";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = connectionString,
                ["Auth:SigningKey"] = SigningKey,
                // Per caller (one token per country here); the default would refuse a clerk room's worth of requests.
                ["Gateway:RateLimitPermits"] = "1000000",
                ["Gateway:SeedDemoData"] = "false",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            // Errors only (to standard error), so that a 503 or 500 in a run can be traced to its cause.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error).SetMinimumLevel(LogLevel.Error);
        });
        await _app.StartAsync();
        _http = NewClient(new Uri(_app.Urls.First()));
        var issuer = _app.Services.GetRequiredService<TokenIssuer>();
        _tokens = RushPlan.Countries.ToDictionary(c => c, c => issuer.Issue("coordinator-" + c.ToLowerInvariant(), Caller.Coordinator, c));
    }

    private async Task StopAppAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<string> CreateOperationAsync(string organiser, DateTimeOffset now)
    {
        var plan = new
        {
            type = "Joint",
            destinations = new[] { "AL" },
            legs = new[] { new { from = "VIE", to = "TIA", departure = now.AddDays(20) } },
            seatCapacity = RushPlan.Capacity,
            bookingDeadline = now.AddDays(10),
        };
        var id = (await SendAsync(HttpMethod.Post, "/api/v1/operations", organiser, plan)).GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Post, $"/api/v1/operations/{id}/status", organiser, new { to = "Announced" });
        return id;
    }

    private async Task<System.Text.Json.JsonElement> SendAsync(HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? System.Text.Json.JsonDocument.Parse(text).RootElement
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}
