using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ReturnOps.BookingRush;

public enum Outcome
{
    Confirmed,
    Waitlisted,
    Cancelled,
    Refused,
    Error,
}

/// <summary>What one request came to, and the booking's id when it was stored (the one a cancellation names).</summary>
public readonly record struct Answer(Outcome Outcome, string? BookingId = null);

/// <summary>One booking as the system stored it: its id, status (Confirmed, Waitlisted, Cancelled, ...) and seats.</summary>
public sealed record StoredBooking(string Id, string Status, int Seats);

/// <summary>What one operation holds after the run, read back from the system (through its API or its tables).</summary>
public sealed record StoredOperation(string Operation, int Capacity, IReadOnlyList<StoredBooking> Bookings)
{
    public int ConfirmedSeats => Bookings.Where(b => b.Status == "Confirmed").Sum(b => b.Seats);
}

/// <summary>
/// One side of the comparison, set up over a fresh database (or fresh operations) with the plan's operations and returnees.
/// Its clients are spread over its gateways in turn, as a load balancer would spread them.
/// </summary>
public abstract class BookingSystem : IAsyncDisposable
{
    private const int KeptProblems = 3;
    private readonly ConcurrentQueue<string> _problems = new();
    private int _next;

    public abstract string Name { get; }

    /// <summary>The first few refusals and errors, to tell a broken run from a slow one.</summary>
    public IEnumerable<string> Problems => _problems;

    public abstract Task<Answer> BookAsync(PlannedBooking booking);

    /// <summary>Cancels a booking of <paramref name="country"/> on the plan's operation <paramref name="operation"/>.</summary>
    public abstract Task<Answer> CancelAsync(int operation, string country, string bookingId);

    /// <summary>Every operation of the plan, in plan order, with every booking stored on it.</summary>
    public abstract Task<IReadOnlyList<StoredOperation>> ReadBackAsync();

    public abstract ValueTask DisposeAsync();

    protected Answer Note(Outcome outcome, string problem)
    {
        if (_problems.Count < KeptProblems)
        {
            _problems.Enqueue(problem.Length > 300 ? problem[..300] : problem);
        }
        return new Answer(outcome);
    }

    /// <summary>The next of <paramref name="clients"/> in turn.</summary>
    protected HttpClient Next(IReadOnlyList<HttpClient> clients) => clients[(int)((uint)Interlocked.Increment(ref _next) % clients.Count)];

    /// <summary>
    /// The same HTTP client set-up for both systems: one pooled client per gateway, no connection limit, a fresh
    /// Idempotency-Key and a country coordinator's token per request, the gateway's JSON body shape.
    /// </summary>
    protected static HttpClient NewClient(Uri address) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    protected async Task<Answer> PostBookingAsync(HttpClient http, string path, string token, PlannedBooking booking)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var body = JsonSerializer.Serialize(new { returnees = booking.Returnees, escorts = booking.Escorts, medical = 0, monitors = 0, interpreters = 0, observers = 0 });
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode == 201)
            {
                var root = JsonDocument.Parse(text).RootElement;
                var id = root.GetProperty("id") is { ValueKind: JsonValueKind.Number } number
                    ? number.GetInt64().ToString(CultureInfo.InvariantCulture)
                    : root.GetProperty("id").GetString();
                return root.GetProperty("status").GetString() switch
                {
                    "Confirmed" => new Answer(Outcome.Confirmed, id),
                    "Waitlisted" => new Answer(Outcome.Waitlisted, id),
                    var other => Note(Outcome.Error, "201 with status " + other),
                };
            }
            return Note((int)response.StatusCode >= 500 ? Outcome.Error : Outcome.Refused, $"{(int)response.StatusCode} {text}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Note(Outcome.Error, ex.GetType().Name + ": " + ex.Message);
        }
    }

    protected async Task<Answer> DeleteBookingAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (int)response.StatusCode == 204
                ? new Answer(Outcome.Cancelled)
                : Note((int)response.StatusCode >= 500 ? Outcome.Error : Outcome.Refused, $"cancel: {(int)response.StatusCode} {text}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Note(Outcome.Error, "cancel: " + ex.GetType().Name + ": " + ex.Message);
        }
    }
}
