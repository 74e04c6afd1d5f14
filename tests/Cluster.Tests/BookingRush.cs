using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ReturnOps.Client;
using ReturnOps.Client.Http;
using ReturnOps.Client.Problems;
using ReturnOps.Client.Tokens;

namespace ReturnOps.Cluster.Tests;

/// <summary>What one booking request asked for and how it ended, over all its attempts.</summary>
public sealed class BookingAttempt(string key, string country, string clerk, IReadOnlyList<string> returnees, int escorts)
{
    public string Key { get; } = key;
    public string Country { get; } = country;
    public string Clerk { get; } = clerk;
    public IReadOnlyList<string> Returnees { get; } = returnees;
    public int Escorts { get; } = escorts;
    public int Seats => Returnees.Count + Escorts;
    public int Attempts { get; set; }
    public List<string> Failures { get; } = [];
    public HttpStatusCode? Status { get; set; }
    public bool Replayed { get; set; }
    public string? BookingId { get; set; }
    public string? BookingStatus { get; set; }
    public string? Body { get; set; }
    public bool Retried => Attempts > 1;

    /// <summary>When the first attempt was sent and the final answer came (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long SentAt { get; set; }

    public long AnsweredAt { get; set; }
}

/// <summary>
/// How the rush went on after a replica was SIGKILLed: bookings sent before the kill and answered after it, and the
/// time from the kill to the first answer, to the last answer of those in flight, and to the last answer of all.
/// </summary>
public sealed record Recovery(int InFlight, TimeSpan FirstAnswer, TimeSpan InFlightAnswered, TimeSpan AllAnswered)
{
    public override string ToString() =>
        $"{InFlight} bookings in flight at the kill; after the kill: first answer {FirstAnswer.TotalSeconds:F1} s, " +
        $"every booking in flight answered {InFlightAnswered.TotalSeconds:F1} s, every booking answered {AllAnswered.TotalSeconds:F1} s";
}

/// <summary>Counts of one rush, for the drill's record (docs/reliability.md).</summary>
public sealed record RushFigures(int Bookings, int Requests, int Retried, int TransportFailures, int ServerErrors, int InProgressConflicts,
    int Replayed, TimeSpan Duration, TimeSpan SlowestAnswer, string RetriedStatuses);

/// <summary>
/// One announced operation with limited capacity, eligible returnees of every JCP participant, and a rush of
/// coordinators booking them concurrently through the gateways (round robin) with the typed client. A request that fails
/// as a client sees a crash (connection reset or refused, timeout, 5xx, "still in progress") is sent again by the client
/// with the same Idempotency-Key and body, to the other gateway, as a real client behind a load balancer would.
/// </summary>
public sealed class BookingRush
{
    public const string Organiser = "AT";
    public const int Capacity = 60;
    public const int ClerksPerCountry = 3;
    public const string PartnerSecret = "drill-partner-secret-of-at-least-32-characters";

    /// <summary>
    /// A client's patience through a replica's death: up to about four minutes of retries, 2 s apart at most, and each attempt
    /// allowed 60 s, above the gateway's 30 s wait for a duplicate in progress, so a slow answer is not taken for a lost one.
    /// </summary>
    private static readonly ReturnOpsClientOptions s_patience = new()
    {
        MaxRetries = 120,
        RetryDelay = TimeSpan.FromMilliseconds(200),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    private readonly List<HttpClient> _clients;
    private readonly List<Uri> _gateways;
    private readonly SocketsHttpHandler _sockets = new() { MaxConnectionsPerServer = 64 };
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BookingAttempt> _byKey = new();
    private readonly Lock _lock = new();
    private int _requests;
    private int _roundRobin;
    private int _answered;
    private readonly int[] _answeredVia = new int[2];
    private int _transport;
    private int _serverErrors;
    private int _inProgress;
    private long _slowestAnswerTicks;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _retriedStatuses = new();

    public BookingRush(DrillCluster cluster)
    {
        _gateways = [.. cluster.Gateways.Select(g => g.Address)];
        _clients = [.. cluster.Gateways.Select(g => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = g.Address,
            // Above the gateway's 30 s wait for a duplicate in progress: a slow answer is not mistaken for a lost one.
            Timeout = TimeSpan.FromSeconds(60),
        })];
    }

    /// <summary>The 19 JCP participants the gateway seeds into an empty database.</summary>
    public static IReadOnlyList<string> Countries { get; } =
        ["AT", "HR", "CZ", "BE", "BG", "DE", "FR", "HU", "PL", "RO", "SK", "SI", "CH", "AL", "BA", "XK", "ME", "MK", "RS"];

    public string OperationId { get; private set; } = "";

    public List<BookingAttempt> Bookings { get; } = [];

    /// <summary>Server errors a client retried, by status: 503 (contention, storage) is an answer; 500 is a bug.</summary>
    public IReadOnlyDictionary<int, int> RetriedStatuses => _retriedStatuses;

    /// <summary>Bookings answered for good so far (2xx or a client error).</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Final answers given by gateway <paramref name="gateway"/> (0 or 1) so far.</summary>
    public int AnsweredVia(int gateway) => Volatile.Read(ref _answeredVia[gateway]);

    public static string Coordinator(string country) => DrillCluster.Token("coordinator", country, $"coordinator-{country.ToLowerInvariant()}");

    /// <summary>The operation (announced), every country's returnees and its partner subscription.</summary>
    public async Task SetUpAsync(Uri partnerUrl, int bookingsPerClerk)
    {
        var http = _clients[0];
        // Subscribed first, so that every message to a participant has somewhere to go (the destination NG has none).
        await Task.WhenAll(Countries.Select(country => DrillCluster.CallAsync(http, HttpMethod.Post, "/api/v1/subscriptions", Coordinator(country),
            new { url = partnerUrl.ToString(), secret = PartnerSecret, events = new[] { "*" } })));
        var departure = TimeProvider.System.GetUtcNow().AddDays(14);
        var created = await DrillCluster.CallAsync(http, HttpMethod.Post, "/api/v1/operations", Coordinator(Organiser), new
        {
            type = "Joint",
            destinations = new[] { "NG" },
            legs = new[] { new { from = "VIE", to = "LOS", departure } },
            seatCapacity = Capacity,
            bookingDeadline = departure.AddDays(-2),
        });
        OperationId = created.GetProperty("id").GetString()!;
        await DrillCluster.CallAsync(http, HttpMethod.Post, $"/api/v1/operations/{OperationId}/status", Coordinator(Organiser), new { to = "Announced" });

        var documentValid = DateOnly.FromDateTime(departure.UtcDateTime).AddYears(1);
        await Task.WhenAll(Countries.Select(async country =>
        {
            for (var clerk = 1; clerk <= ClerksPerCountry; clerk++)
            {
                for (var n = 0; n < bookingsPerClerk; n++)
                {
                    // Three shapes: 2 forced returnees with 4 escorts (6 seats), 1 forced with 2 escorts (3), 1 voluntary alone (1).
                    var (returnees, escorts, voluntary) = (n % 3) switch { 0 => (2, 4, false), 1 => (1, 2, false), _ => (1, 0, true) };
                    var ids = new List<string>();
                    for (var r = 0; r < returnees; r++)
                    {
                        var returnee = await DrillCluster.CallAsync(http, HttpMethod.Post, "/api/v1/returnees", Coordinator(country), new
                        {
                            reference = $"{country}-drill-{clerk}-{n}-{r}",
                            nationality = "NG",
                            birthYear = 1990,
                            sex = "M",
                            unaccompaniedMinor = false,
                            decisionEnforceable = true,
                            appealPending = false,
                            appealSuspensive = false,
                            nonRefoulementCleared = true,
                            travelDocumentValidUntil = documentValid,
                            medicalFlag = false,
                            vulnerabilities = Array.Empty<string>(),
                            voluntary,
                        });
                        ids.Add(returnee.GetProperty("id").GetString()!);
                    }
                    lock (_lock)
                    {
                        Bookings.Add(new BookingAttempt($"drill-{country}-{clerk}-{n}-{Guid.NewGuid():N}", country, $"clerk-{country.ToLowerInvariant()}-{clerk}", ids, escorts));
                    }
                }
            }
        }));
    }

    /// <summary>Every clerk books its requests one after another; all clerks at once.</summary>
    public async Task<RushFigures> RunAsync()
    {
        var started = Stopwatch.StartNew();
        foreach (var booking in Bookings)
        {
            _byKey[booking.Key] = booking;
        }
        // One client per clerk (each with its own token), all over one connection pool: the clients are disposed only after
        // every clerk has finished, since disposing one disposes the pool beneath it.
        var clerks = Bookings.GroupBy(b => b.Clerk).Select(clerk => (Bookings: clerk.ToList(), Client: ReturnOpsClient.Create(_gateways[0],
            new StaticToken(DrillCluster.Token("coordinator", clerk.First().Country, clerk.Key)), s_patience,
            new GatewayFailover(this, _gateways, Interlocked.Increment(ref _roundRobin)) { InnerHandler = _sockets }))).ToList();
        try
        {
            await Task.WhenAll(clerks.Select(async clerk =>
            {
                foreach (var booking in clerk.Bookings)
                {
                    await BookAsync(booking, clerk.Client);
                }
            }));
        }
        finally
        {
            clerks.ForEach(clerk => clerk.Client.Dispose());
        }
        return new RushFigures(Bookings.Count, _requests, Bookings.Count(b => b.Retried), _transport, _serverErrors, _inProgress,
            Bookings.Count(b => b.Replayed), started.Elapsed, TimeSpan.FromTicks(Interlocked.Read(ref _slowestAnswerTicks)),
            string.Join(" ", _retriedStatuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
    }

    /// <summary>
    /// One booking through the typed client (src/Client), as a member state's system sends it: the client keeps the
    /// Idempotency-Key and body over its retries; <see cref="GatewayFailover"/> beneath it sends each attempt after a failure
    /// to the other gateway and records what every attempt met.
    /// </summary>
    private async Task BookAsync(BookingAttempt booking, ReturnOpsClient client)
    {
        booking.SentAt = TimeProvider.System.GetTimestamp();
        try
        {
            using var key = IdempotencyKey.Use(booking.Key);
            var answer = await client.Api.BookingsBookAsync(OperationId, null, new BookingInput { Returnees = [.. booking.Returnees], Escorts = booking.Escorts });
            booking.Status = (HttpStatusCode)answer.StatusCode;
            booking.Replayed = answer.Replayed();
            booking.BookingId = answer.Result.Id;
            booking.BookingStatus = answer.Result.Status.ToString();
        }
        catch (ReturnOpsProblemException refused)
        {
            booking.Status = refused.Status;
            booking.Body = refused.Message;
        }
        booking.AnsweredAt = TimeProvider.System.GetTimestamp();
        Interlocked.Increment(ref _answered);
    }

    /// <summary>What one attempt met, from <see cref="GatewayFailover"/>: a final answer's time, or why it is tried again.</summary>
    internal void Record(string key, int gateway, HttpStatusCode? status, string? body, Exception? failed, TimeSpan took)
    {
        var booking = _byKey[key];
        lock (booking)
        {
            booking.Attempts++;
        }
        Interlocked.Increment(ref _requests);
        if (failed is not null)
        {
            Interlocked.Increment(ref _transport);
            lock (booking)
            {
                booking.Failures.Add($"{failed.GetType().Name} from gateway-{gateway + 1}: {failed.Message}");
            }
            return;
        }
        if (!IsRetryable(status!.Value, body ?? ""))
        {
            Interlocked.Increment(ref _answeredVia[gateway]);
            RecordAnswerTime(took);
            return;
        }
        _retriedStatuses.AddOrUpdate((int)status.Value, 1, (_, n) => n + 1);
        Interlocked.Increment(ref status == HttpStatusCode.Conflict ? ref _inProgress : ref _serverErrors);
        lock (booking)
        {
            booking.Failures.Add($"{(int)status.Value} from gateway-{gateway + 1}");
        }
    }

    /// <summary>The <see cref="Recovery"/> of a kill at <paramref name="killedAt"/> (<see cref="TimeProvider.GetTimestamp"/>); call it after the rush.</summary>
    public Recovery RecoveryAfter(long killedAt)
    {
        var after = Bookings.Where(b => b.AnsweredAt > killedAt).ToList();
        var inFlight = after.Where(b => b.SentAt < killedAt).ToList();
        TimeSpan Since(IEnumerable<BookingAttempt> bookings, Func<IEnumerable<long>, long> pick) =>
            bookings.Any() ? TimeProvider.System.GetElapsedTime(killedAt, pick(bookings.Select(b => b.AnsweredAt))) : TimeSpan.Zero;
        return new Recovery(inFlight.Count, Since(after, t => t.Min()), Since(inFlight, t => t.Max()), Since(after, t => t.Max()));
    }

    /// <summary>The slowest single attempt that got a final answer: docs/reliability.md weighs the gateways' response timeout against it.</summary>
    private void RecordAnswerTime(TimeSpan took)
    {
        var ticks = took.Ticks;
        var slowest = Interlocked.Read(ref _slowestAnswerTicks);
        while (ticks > slowest && Interlocked.CompareExchange(ref _slowestAnswerTicks, ticks, slowest) != slowest)
        {
            slowest = Interlocked.Read(ref _slowestAnswerTicks);
        }
    }

    /// <summary>Transient as a client sees it: 5xx, 429, and the 409 of a key still in progress (no rule: not a business conflict).</summary>
    internal static bool IsRetryable(HttpStatusCode status, string body)
    {
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests)
        {
            return true;
        }
        if (status != HttpStatusCode.Conflict)
        {
            return false;
        }
        using var json = JsonDocument.Parse(body);
        return !json.RootElement.TryGetProperty("rule", out _);
    }
}
