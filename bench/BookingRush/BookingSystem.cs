using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ReturnOps.BookingRush;

public enum Outcome
{
    Confirmed,
    Waitlisted,
    Refused,
    Error,
}

/// <summary>What one operation holds after the rush, read from the system's own store.</summary>
public sealed record OperationTally(string Operation, int Capacity, int ConfirmedSeats, int Confirmed, int Waitlisted);

/// <summary>One side of the comparison, set up over a fresh database with the plan's operations and returnees.</summary>
public abstract class BookingSystem : IAsyncDisposable
{
    private const int KeptProblems = 3;
    private readonly ConcurrentQueue<string> _problems = new();

    public abstract string Name { get; }

    /// <summary>The first few refusals and errors, to tell a broken run from a slow one.</summary>
    public IEnumerable<string> Problems => _problems;

    public abstract Task<Outcome> BookAsync(PlannedBooking booking);

    public abstract Task<IReadOnlyList<OperationTally>> TallyAsync();

    public abstract ValueTask DisposeAsync();

    protected Outcome Note(Outcome outcome, string problem)
    {
        if (_problems.Count < KeptProblems)
        {
            _problems.Enqueue(problem.Length > 300 ? problem[..300] : problem);
        }
        return outcome;
    }

    /// <summary>
    /// The same HTTP client set-up for both systems: one pooled client, no connection limit, a fresh Idempotency-Key and a
    /// country coordinator's token per request, the gateway's JSON body shape.
    /// </summary>
    protected static HttpClient NewClient(Uri address) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    protected async Task<Outcome> PostBookingAsync(HttpClient http, string path, string token, PlannedBooking booking)
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
                return JsonDocument.Parse(text).RootElement.GetProperty("status").GetString() switch
                {
                    "Confirmed" => Outcome.Confirmed,
                    "Waitlisted" => Outcome.Waitlisted,
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
}
