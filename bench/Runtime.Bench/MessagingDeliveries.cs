using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// Cross-border messaging on PostgreSQL, in real time: webhook deliveries per second from the outbox to
/// loopback partner simulators (1 and 20 destinations) beside plain signed POSTs from one HttpClient to the
/// same simulators; and the time to drain a backlog that piled up while the only partner refused connections.
/// Outbox rows are inserted with one SQL statement and announced with <c>NOTIFY returnops_outbox</c>, as a
/// grain turn's commit does; the dispatcher is the real background loop of <c>AddMessaging</c>.
/// </summary>
internal static class MessagingDeliveries
{
    private const string Secret = "a-secret-of-at-least-thirty-two-characters";
    private const string Type = "booking.confirmed";
    private const int Lanes = 100;
    private static readonly string[] s_countries =
        ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT"];

    private sealed record Sample(TimeSpan Applied, TimeSpan Recorded, bool Completed, int Messages, double Others, double BenchCores, double PostgresCores)
    {
        public double PerSecond => Messages / Applied.TotalSeconds;
    }

    private sealed record Message(string Id, string Destination, string Lane, string Payload);

    public static async Task RunDeliveriesAsync(Settings settings, Report report)
    {
        var quick = settings == Settings.Quick;
        var perLane = quick ? 10 : 50;
        var repetitions = quick ? 1 : 3;
        var messages = Lanes * perLane;
        await using var server = await PostgresServer.StartAsync();
        var postmaster = CpuReading.FindPostmaster(server.Port);
        var loadBefore = LoadAverage();
        report.Heading("Deliveries per second");
        report.Line($"{messages:N0} outbox messages in {Lanes} lanes ({perLane} each) inserted in one statement + NOTIFY; timed from the commit until every " +
            "message is applied by its receiver (\"applied\") and until the outbox has no pending row (\"recorded\": the dispatcher has marked them delivered). " +
            $"Median of {repetitions} sample(s) after a warm-up of {Lanes * 2} messages; fresh database per destination count. " +
            "Dispatcher: `AddMessaging` defaults (32 lanes per claim and at once, 20 messages per lane claim; one HTTP POST then one UPDATE per message). " +
            "Receivers: `tests/PartnerSimulator` (Kestrel, HMAC check, de-duplication) on 127.0.0.1 **in the benchmark process**. " +
            "Baseline: the same number of signed POSTs of the same envelopes from one `HttpClient` (the sender's handler settings) to the same receivers, no outbox, no Polly; " +
            "sequential, and 32 concurrent loops (= `MaxConcurrentLanes`). Others: CPU share of the machine used by other processes than this one and its PostgreSQL.");
        report.Line();
        report.Line("| destinations | outbox → receiver deliveries/s (applied) | to all marked delivered | plain POST, 32 concurrent /s | plain POST, sequential /s | outbox / plain 32 | others' CPU | bench process cores | PostgreSQL cores |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var destinations in new[] { 1, 20 })
        {
            await using var storage = await TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
            await using var db = NpgsqlDataSource.Create(storage.ConnectionString);
            await using var host = await MessagingHost.StartAsync(storage);
            var partners = new List<Partner>();
            try
            {
                for (var i = 0; i < destinations; i++)
                {
                    var partner = await Partner.StartAsync(Secret);
                    partners.Add(partner);
                    await host.Subscriptions.CreateAsync(s_countries[i], s_countries[i], new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
                }
                using var http = MessagingServiceCollectionExtensions.CreateHttpClient();
                var warm = await OutboxSample(db, partners, "warm", 2, postmaster);
                await PlainSample(http, partners, "warm-plain", Lanes * 2, 32, postmaster);
                Console.Error.WriteLine($"  warm-up {destinations}: {warm.Messages} in {warm.Applied.TotalSeconds:0.00} s");
                var outbox = new List<Sample>();
                var plain = new List<Sample>();
                for (var r = 0; r < repetitions; r++)
                {
                    outbox.Add(await OutboxSample(db, partners, $"s{r}", perLane, postmaster));
                    plain.Add(await PlainSample(http, partners, $"p{r}", messages, 32, postmaster));
                    Console.Error.WriteLine($"  deliveries {destinations}: outbox {Measure.Rate(outbox[^1].PerSecond)}/s " +
                        $"(applied {outbox[^1].Applied.TotalSeconds:0.00} s, recorded {outbox[^1].Recorded.TotalSeconds:0.00} s, completed {outbox[^1].Completed}, others {Measure.Percent(outbox[^1].Others)}); " +
                        $"bench cores {Measure.Number(outbox[^1].BenchCores, 2)}, pg cores {Measure.Number(outbox[^1].PostgresCores, 2)}; " +
                        $"plain 32 {Measure.Rate(plain[^1].PerSecond)}/s (bench cores {Measure.Number(plain[^1].BenchCores, 2)})");
                }
                var sequential = await PlainSample(http, partners, "seq", messages, 1, postmaster);
                Console.Error.WriteLine($"  deliveries {destinations}: plain sequential {Measure.Rate(sequential.PerSecond)}/s");
                var outboxRate = Measure.Median(outbox.Select(s => s.PerSecond));
                var recordedRate = Measure.Median(outbox.Select(s => s.Messages / s.Recorded.TotalSeconds));
                var plainRate = Measure.Median(plain.Select(s => s.PerSecond));
                var incomplete = outbox.Count(s => !s.Completed);
                report.Line($"| {destinations} | **{Measure.Rate(outboxRate)}** ({string.Join(", ", outbox.Select(s => Measure.Rate(s.PerSecond)))}) " +
                    $"| {Measure.Rate(recordedRate)} | {Measure.Rate(plainRate)} | {Measure.Rate(sequential.PerSecond)} | {Measure.Percent(outboxRate / plainRate)} " +
                    $"| {Measure.Percent(Measure.Median(outbox.Select(s => s.Others)))} | {Measure.Number(Measure.Median(outbox.Select(s => s.BenchCores)), 2)} " +
                    $"| {Measure.Number(Measure.Median(outbox.Select(s => s.PostgresCores)), 2)} |" +
                    (incomplete > 0 ? $" **{incomplete} sample(s) timed out**" : ""));
                var disorder = OutOfOrderLanes(partners, lane => lane.StartsWith("s", StringComparison.Ordinal) || lane.StartsWith("warm-op-", StringComparison.Ordinal));
                var pending = await CountAsync(db, "SELECT count(*) FROM outbox WHERE status <> 'delivered'");
                var retried = await CountAsync(db, "SELECT count(*) FROM outbox WHERE attempts > 0");
                if (disorder > 0 || pending > 0)
                {
                    report.Line($"| | **check failed: {disorder} lane(s) out of order, {pending} message(s) not delivered** |");
                }
                Console.Error.WriteLine($"  check {destinations}: lanes out of order {disorder}, not delivered {pending}, retried {retried}, " +
                    $"received {partners.Sum(p => p.Received.Count)} applied {partners.Sum(p => p.Applied.Count)}");
            }
            finally
            {
                foreach (var partner in partners)
                {
                    await partner.DisposeAsync();
                }
            }
        }
        report.Line();
        report.Line($"Load average (1/5/15 min) before: {loadBefore}; after: {LoadAverage()}.");
        report.Line();
    }

    public static async Task RunDrainAsync(Settings settings, Report report)
    {
        var quick = settings == Settings.Quick;
        var perLane = quick ? 20 : 100;
        var outage = TimeSpan.FromSeconds(quick ? 10 : 60);
        const int Batches = 20;
        var messages = Lanes * perLane;
        var loadBefore = LoadAverage();
        await using var server = await PostgresServer.StartAsync();
        var postmaster = CpuReading.FindPostmaster(server.Port);
        await using var storage = await TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
        await using var db = NpgsqlDataSource.Create(storage.ConnectionString);
        await using var host = await MessagingHost.StartAsync(storage);
        await using var partner = await Partner.StartAsync(Secret);
        await host.Subscriptions.CreateAsync("AT", "AT", new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
        var options = host.Options;
        var warm = await OutboxSample(db, [partner], "warm", 2, postmaster);
        Console.Error.WriteLine($"  drain warm-up: {warm.Messages} in {warm.Applied.TotalSeconds:0.00} s");
        var before = partner.Applied.Count;
        var receivedBefore = partner.Received.Count;

        await partner.StopAsync();
        var down = Stopwatch.GetTimestamp();
        var cpu = CpuReading.Take(postmaster);
        for (var batch = 0; batch < Batches; batch++)
        {
            // The backlog arrives during the outage, in 20 commits spread over its first 95 %.
            var due = outage * 0.95 * batch / Batches;
            var wait = due - Stopwatch.GetElapsedTime(down);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var per = perLane / Batches;
            await InsertAsync(db, Build("d", 1, Lanes, batch * per + 1, per));
        }
        var rest = outage - Stopwatch.GetElapsedTime(down);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }
        var requestsDuringOutage = partner.Received.Count - receivedBefore;
        var attemptsDuringOutage = await CountAsync(db, "SELECT coalesce(sum(attempts), 0) FROM outbox WHERE message_id LIKE 'd-%'");
        var failedHeads = await CountAsync(db, "SELECT count(*) FROM outbox WHERE message_id LIKE 'd-%' AND attempts > 0");
        var maxAttempts = await CountAsync(db, "SELECT coalesce(max(attempts), 0) FROM outbox WHERE message_id LIKE 'd-%'");
        var latestRetry = await CountAsync(db,
            "SELECT coalesce(max(next_attempt_ms), 0) - (extract(epoch from clock_timestamp()) * 1000)::bigint FROM outbox WHERE message_id LIKE 'd-%' AND status = 'pending'");
        var outageLength = Stopwatch.GetElapsedTime(down);

        await partner.StartAgainAsync();
        var up = Stopwatch.GetTimestamp();
        TimeSpan? first = null;
        var shares = new[] { 0.25, 0.5, 0.75, 0.9, 0.99 };
        var reached = new TimeSpan?[shares.Length];
        var limit = TimeSpan.FromSeconds(quick ? 120 : 200);
        var completed = false;
        string? waiting = null;
        while (Stopwatch.GetElapsedTime(up) < limit)
        {
            var applied = partner.Applied.Count - before;
            var elapsed = Stopwatch.GetElapsedTime(up);
            if (waiting is null && reached[1] is { } halfway && elapsed > halfway + TimeSpan.FromSeconds(3) && applied < messages)
            {
                // Why the rest waits: the lane heads that are not due yet, their last error and how long until due.
                waiting = await WaitingLanesAsync(db);
            }
            first ??= applied > 0 ? elapsed : null;
            for (var i = 0; i < shares.Length; i++)
            {
                reached[i] ??= applied >= messages * shares[i] ? elapsed : null;
            }
            if (applied >= messages)
            {
                completed = true;
                break;
            }
            await Task.Delay(20);
        }
        var drained = Stopwatch.GetElapsedTime(up);
        var recorded = completed ? await UntilNothingPendingAsync(db, up, limit) : drained;
        var end = CpuReading.Take(postmaster);
        var appliedTotal = partner.Applied.Count - before;
        var notDelivered = await CountAsync(db, "SELECT count(*) FROM outbox WHERE status <> 'delivered'");
        var dead = await CountAsync(db, "SELECT count(*) FROM outbox WHERE status = 'dead'");
        var totalAttempts = await CountAsync(db, "SELECT coalesce(sum(attempts), 0) FROM outbox WHERE message_id LIKE 'd-%'");
        var disorder = OutOfOrderLanes([partner], lane => lane.StartsWith("d-", StringComparison.Ordinal));
        var drainWork = drained - (first ?? drained);

        report.Heading("Draining a backlog after an outage");
        report.Line($"One destination (AT → one simulator). The simulator is stopped (connections refused) for {outageLength.TotalSeconds:0} s; meanwhile " +
            $"{messages:N0} messages in {Lanes} lanes are committed in {Batches} batches (+ NOTIFY) spread over the outage, and the dispatcher keeps running. " +
            "Then the simulator listens again on the same port; timed from that moment. " +
            $"Options are the `AddMessaging` defaults, i.e. what production gets: durable retry {options.RetryBaseDelay.TotalSeconds:0} s base, doubling, " +
            $"max {options.RetryMaxDelay.TotalMinutes:0} min, equal jitter; {options.InProcessRetries} in-process retries from {options.InProcessRetryDelay.TotalMilliseconds:0} ms; " +
            $"circuit opens at {Measure.Percent(options.BreakerFailureRatio)} failures over ≥ {options.BreakerMinimumThroughput} attempts in {options.BreakerSamplingDuration.TotalSeconds:0} s " +
            $"and stays open {options.BreakerBreakDuration.TotalSeconds:0} s; poll every {options.PollInterval.TotalSeconds:0} s.");
        report.Line();
        report.Line("| backlog | outage | restart → first applied | → 25 % | → 50 % | → 75 % | → 90 % | → 99 % | → **all applied** | → none pending | first → last applied |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        report.Line($"| {messages:N0} | {outageLength.TotalSeconds:0} s | {Seconds(first)} | {string.Join(" | ", reached.Select(Seconds))} " +
            $"| **{(completed ? Seconds(drained) : $"not within {limit.TotalSeconds:0} s ({appliedTotal:N0} applied)")}** " +
            $"| {(completed ? Seconds(recorded) : "–")} | {Seconds(drainWork)} |");
        report.Line();
        if (waiting is not null)
        {
            report.Line($"Lanes still waiting 3 s after half the backlog was applied: {waiting}.");
            report.Line();
        }
        report.Line($"During the outage: {attemptsDuringOutage:N0} failed delivery attempts recorded on {failedHeads} messages (max {maxAttempts} on one message), " +
            $"{requestsDuringOutage} requests reached the simulator; at restart the latest scheduled retry was {latestRetry / 1000.0:0.0} s away. " +
            $"After the drain: {notDelivered} not delivered, {dead} dead, {disorder} lane(s) out of order, {totalAttempts:N0} failed attempts in total, " +
            $"{partner.Received.Count - receivedBefore - appliedTotal} duplicate receipts. " +
            $"Others' CPU share over outage + drain: {Measure.Percent(end.OthersSince(cpu))}. Load average before: {loadBefore}; after: {LoadAverage()}.");
        report.Line();
    }

    /// <summary>Cores used by the PostgreSQL postmaster and its backends: "ours" minus this process (clock ticks at 100 Hz).</summary>
    private static double PostgresCores(CpuReading start, CpuReading end, TimeSpan elapsed) =>
        Math.Max(0, (end.Ours - start.Ours) / 100.0 - (end.ProcessTime - start.ProcessTime).TotalSeconds) / elapsed.TotalSeconds;

    private static async Task<string> WaitingLanesAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT coalesce(last_error, '(none)'), count(*), min(next_attempt_ms - now_ms), max(next_attempt_ms - now_ms)
            FROM (SELECT DISTINCT ON (lane) lane, last_error, next_attempt_ms, (extract(epoch from clock_timestamp()) * 1000)::bigint AS now_ms
                  FROM outbox WHERE status = 'pending' AND message_id LIKE 'd-%' ORDER BY lane, id) heads
            GROUP BY 1 ORDER BY 2 DESC
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await reader.ReadAsync())
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{reader.GetInt64(1)} with last error \"{reader.GetString(0)}\", due in {reader.GetInt64(2) / 1000.0:0.0}–{reader.GetInt64(3) / 1000.0:0.0} s"));
        }
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Seconds(TimeSpan? value) => value is { } v ? Measure.Number(v.TotalSeconds, 1) + " s" : "–";

    private static async Task<Sample> OutboxSample(NpgsqlDataSource db, IReadOnlyList<Partner> partners, string prefix, int perLane, int? postmaster)
    {
        var batch = Build(prefix, partners.Count, Lanes, 1, perLane);
        var before = partners.Sum(p => p.Applied.Count);
        await Measure.WaitForQuietAsync(postmaster);
        var cpu = CpuReading.Take(postmaster);
        var start = Stopwatch.GetTimestamp();
        await InsertAsync(db, batch);
        var limit = TimeSpan.FromSeconds(90);
        var completed = false;
        while (Stopwatch.GetElapsedTime(start) < limit)
        {
            if (partners.Sum(p => p.Applied.Count) - before >= batch.Count)
            {
                completed = true;
                break;
            }
            await Task.Delay(10);
        }
        var applied = Stopwatch.GetElapsedTime(start);
        var end = CpuReading.Take(postmaster);
        var recorded = completed ? await UntilNothingPendingAsync(db, start, limit) : applied;
        return new Sample(applied, recorded, completed, batch.Count, end.OthersSince(cpu), end.ProcessCoresSince(cpu, applied), PostgresCores(cpu, end, applied));
    }

    private static async Task<TimeSpan> UntilNothingPendingAsync(NpgsqlDataSource db, long start, TimeSpan limit)
    {
        while (Stopwatch.GetElapsedTime(start) < limit && await CountAsync(db, "SELECT count(*) FROM outbox WHERE status = 'pending'") > 0)
        {
            await Task.Delay(10);
        }
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Signed POSTs of envelopes like the dispatcher's, lane by lane to the same receivers, from <paramref name="concurrency"/> loops.</summary>
    private static async Task<Sample> PlainSample(HttpClient http, IReadOnlyList<Partner> partners, string prefix, int count, int concurrency, int? postmaster)
    {
        var bodies = Enumerable.Range(0, count).Select(k =>
        {
            var lane = k % Lanes;
            var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{lane}-{k / Lanes + 1}");
            var row = new OutboxRow(0, id, "", $"{prefix}-op-{lane}", Type, $$"""{"lane":"{{prefix}}-op-{{lane}}","seq":{{k / Lanes + 1}}}""", 0, 0);
            return (Url: partners[lane % partners.Count].Url, Id: id, Body: WebhookEnvelope.Serialize(row));
        }).ToArray();
        await Measure.WaitForQuietAsync(postmaster);
        var cpu = CpuReading.Take(postmaster);
        var start = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var k = Interlocked.Increment(ref next); k < bodies.Length; k = Interlocked.Increment(ref next))
            {
                var (url, id, body) = bodies[k];
                var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookSignature.MessageIdHeader, id);
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(Secret, timestamp, body));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var end = CpuReading.Take(postmaster);
        return new Sample(elapsed, elapsed, true, count, end.OthersSince(cpu), end.ProcessCoresSince(cpu, elapsed), PostgresCores(cpu, end, elapsed));
    }

    /// <summary>Messages <c>{prefix}-{lane}-{seq}</c>, seq from <paramref name="firstSeq"/>; lanes take turns, so each lane's ids grow with seq.</summary>
    private static List<Message> Build(string prefix, int destinations, int lanes, int firstSeq, int perLane)
    {
        var messages = new List<Message>(lanes * perLane);
        for (var seq = firstSeq; seq < firstSeq + perLane; seq++)
        {
            for (var lane = 0; lane < lanes; lane++)
            {
                var laneName = string.Create(CultureInfo.InvariantCulture, $"{prefix}-op-{lane}");
                messages.Add(new Message(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{lane}-{seq}"), Destination.Country(s_countries[lane % destinations]),
                    laneName, string.Create(CultureInfo.InvariantCulture, $$"""{"lane":"{{laneName}}","seq":{{seq}}}""")));
            }
        }
        return messages;
    }

    /// <summary>One INSERT in list order (so ids follow it), then the NOTIFY a grain turn's commit sends.</summary>
    private static async Task InsertAsync(NpgsqlDataSource db, IReadOnlyList<Message> messages)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var insert = db.CreateCommand(
            "INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) " +
            "SELECT m, d, l, @type, p, @now, @now FROM unnest(@m::text[], @d::text[], @l::text[], @p::text[]) WITH ORDINALITY AS x(m, d, l, p, n) ORDER BY n"))
        {
            insert.Parameters.AddWithValue("type", Type);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("m", messages.Select(m => m.Id).ToArray());
            insert.Parameters.AddWithValue("d", messages.Select(m => m.Destination).ToArray());
            insert.Parameters.AddWithValue("l", messages.Select(m => m.Lane).ToArray());
            insert.Parameters.AddWithValue("p", messages.Select(m => m.Payload).ToArray());
            await insert.ExecuteNonQueryAsync();
        }
        await using var notify = db.CreateCommand("NOTIFY returnops_outbox");
        await notify.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>Lanes whose messages some receiver applied out of sequence order.</summary>
    private static int OutOfOrderLanes(IEnumerable<Partner> partners, Func<string, bool> outboxLane)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var delivery in partners.SelectMany(p => p.Applied))
        {
            using var data = JsonDocument.Parse(delivery.Data);
            var lane = data.RootElement.GetProperty("lane").GetString()!;
            if (!outboxLane(lane))
            {
                continue; // the plain POST baseline sends a lane's messages concurrently: no order to check
            }
            var seq = data.RootElement.GetProperty("seq").GetInt32();
            if (last.TryGetValue(lane, out var previous) && seq <= previous)
            {
                broken.Add(lane);
            }
            last[lane] = seq;
        }
        return broken.Count;
    }
}
