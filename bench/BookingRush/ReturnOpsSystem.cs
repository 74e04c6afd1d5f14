using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// ReturnOps on a host (<see cref="CoHostedGateway"/> or <see cref="TwoSiloCluster"/>), set up through the public API as
/// a state would do it: the organiser (AT) plans and announces the operations, each country imports its returnees
/// (<c>POST /returnees/import</c>). Bookings go over HTTP (<c>POST /api/v1/operations/{id}/bookings</c>, JWT,
/// Idempotency-Key, audit) spread over the host's gateways, or, on a co-hosted silo, straight to
/// <see cref="IReturnOperationGrain.RequestBooking"/> (the domain without HTTP). Read back through the API.
/// </summary>
public sealed class ReturnOpsSystem : BookingSystem
{
    private const string Organiser = "AT";
    private readonly IReturnOpsHost _host;
    private readonly bool _viaHttp;
    private readonly bool _ownsHost;
    private readonly List<HttpClient> _http;
    private readonly Dictionary<string, string> _tokens = RushPlan.Countries.ToDictionary(c => c, IReturnOpsHost.Coordinator);
    private readonly Dictionary<string, string> _returneeIds = [];
    private string[] _operations = [];

    private ReturnOpsSystem(IReturnOpsHost host, bool viaHttp, bool ownsHost)
    {
        (_host, _viaHttp, _ownsHost) = (host, viaHttp, ownsHost);
        _http = [.. host.Gateways.Select(NewClient)];
    }

    public override string Name => _viaHttp ? "ReturnOps HTTP" : "ReturnOps grain";

    /// <summary>The operations of the plan, in plan order.</summary>
    public IReadOnlyList<string> Operations => _operations;

    /// <param name="ownsHost">Dispose the host with the system (a co-hosted gateway over its own database).</param>
    public static async Task<ReturnOpsSystem> StartAsync(IReturnOpsHost host, IPlan plan, bool viaHttp, bool ownsHost)
    {
        if (!viaHttp && host.Grains is null)
        {
            throw new ArgumentException("Grains are called directly only on a co-hosted silo.", nameof(viaHttp));
        }
        var system = new ReturnOpsSystem(host, viaHttp, ownsHost);
        var now = TimeProvider.System.GetUtcNow();
        var operations = new List<string>();
        for (var i = 0; i < plan.Operations; i++)
        {
            operations.Add(await system.CreateOperationAsync(plan.Capacity, now));
        }
        system._operations = [.. operations];
        // References unique to this set-up: a cluster keeps its database for every scenario of the run.
        var tag = Guid.NewGuid().ToString("N")[..8];
        await Parallel.ForEachAsync(plan.Returnees.GroupBy(r => r.Country).SelectMany(c => c.Chunk(500)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (chunk, _) => await system.ImportAsync(chunk[0].Country, tag, [.. chunk.Select(r => r.Returnee)]));
        await host.BeforeRushAsync();
        // The host's gateways may have moved (a restarted co-hosted gateway listens on a new port).
        foreach (var http in system._http)
        {
            http.Dispose();
        }
        system._http.Clear();
        system._http.AddRange(host.Gateways.Select(NewClient));
        return system;
    }

    public override async Task<Answer> BookAsync(PlannedBooking booking)
    {
        var operation = _operations[booking.Operation];
        var returnees = booking.Returnees.Select(r => _returneeIds[r]).ToArray();
        if (_viaHttp)
        {
            return await PostBookingAsync(Next(_http), $"/api/v1/operations/{operation}/bookings", _tokens[booking.Country], booking with { Returnees = returnees });
        }
        var grain = _host.Grains!.GetGrain<IReturnOperationGrain>(operation);
        var request = new BookingRequest(ApiConventions.NewId("bk-", TimeProvider.System), returnees, booking.Escorts, 0, 0, 0, 0);
        try
        {
            var view = await grain.RequestBooking(Coordinator(booking.Country), request).Booking();
            return view.Status switch
            {
                BookingStatus.Confirmed => new Answer(Outcome.Confirmed, view.Id),
                BookingStatus.Waitlisted => new Answer(Outcome.Waitlisted, view.Id),
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

    public override async Task<Answer> CancelAsync(int operation, string country, string bookingId)
    {
        if (_viaHttp)
        {
            return await DeleteBookingAsync(Next(_http), $"/api/v1/operations/{_operations[operation]}/bookings/{bookingId}", _tokens[country]);
        }
        try
        {
            await _host.Grains!.GetGrain<IReturnOperationGrain>(_operations[operation]).CancelBooking(Coordinator(country), bookingId);
            return new Answer(Outcome.Cancelled);
        }
        catch (DomainRuleException ex)
        {
            return Note(Outcome.Refused, "cancel: " + ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Note(Outcome.Error, "cancel: " + ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>Through the API, as the organiser sees it: the operation's capacity and every booking, page by page.</summary>
    public override async Task<IReadOnlyList<StoredOperation>> ReadBackAsync()
    {
        var organiser = _tokens[Organiser];
        var stored = new List<StoredOperation>();
        foreach (var id in _operations)
        {
            var view = await SendAsync(HttpMethod.Get, $"/api/v1/operations/{id}", organiser, null);
            var bookings = new List<StoredBooking>();
            string? after = null;
            do
            {
                var page = await SendAsync(HttpMethod.Get,
                    $"/api/v1/operations/{id}/bookings?limit=500" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), organiser, null);
                bookings.AddRange(page.GetProperty("items").EnumerateArray().Select(b =>
                    new StoredBooking(b.GetProperty("id").GetString()!, b.GetProperty("status").GetString()!, b.GetProperty("seats").GetInt32())));
                after = page.GetProperty("nextAfter").GetString();
            }
            while (after is not null);
            stored.Add(new StoredOperation(id, view.GetProperty("seats").GetProperty("capacity").GetInt32(), bookings));
        }
        return stored;
    }

    /// <summary>GET <paramref name="path"/> as the organiser (a coordinator of AT), for the read-rate comparison.</summary>
    public async Task<bool> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", _tokens[Organiser]);
        try
        {
            using var response = await Next(_http).SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var http in _http)
        {
            http.Dispose();
        }
        if (_ownsHost)
        {
            await _host.DisposeAsync();
        }
    }

    private static Caller Coordinator(string country) => new(Caller.Coordinator, country, "coordinator-" + country.ToLowerInvariant());

    private async Task<string> CreateOperationAsync(int capacity, DateTimeOffset now)
    {
        var plan = new
        {
            type = "Joint",
            destinations = new[] { "AL" },
            legs = new[] { new { from = "VIE", to = "TIA", departure = now.AddDays(20) } },
            seatCapacity = capacity,
            bookingDeadline = now.AddDays(10),
        };
        var id = (await SendAsync(HttpMethod.Post, "/api/v1/operations", _tokens[Organiser], plan)).GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Post, $"/api/v1/operations/{id}/status", _tokens[Organiser], new { to = "Announced" });
        return id;
    }

    /// <summary>Forced returnees of <paramref name="country"/>, eligible for the operations (Albanians, to Tirana), by one CSV file.</summary>
    private async Task ImportAsync(string country, string tag, IReadOnlyList<string> names)
    {
        var csv = new StringBuilder("reference,nationality,birthYear,sex,decisionEnforceable,nonRefoulementCleared,travelDocumentValidUntil\n");
        foreach (var name in names)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{tag}-{name},AL,1990,M,yes,yes,2030-12-31\n");
        }
        var imported = await SendAsync(HttpMethod.Post, "/api/v1/returnees/import", _tokens[country], new { csv = csv.ToString() });
        lock (_returneeIds)
        {
            foreach (var item in imported.GetProperty("items").EnumerateArray())
            {
                _returneeIds[item.GetProperty("reference").GetString()![(tag.Length + 1)..]] = item.GetProperty("id").GetString()!;
            }
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _http[0].SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}
