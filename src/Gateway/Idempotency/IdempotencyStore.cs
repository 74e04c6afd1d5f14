using System.Globalization;
using System.Text;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Idempotency;

/// <summary>A response kept for replay under (caller, key).</summary>
public sealed record StoredResponse(int StatusCode, string? ContentType, string? Location, string? ETag, string Body);

/// <summary>What the store knows about a key when a request arrives with it.</summary>
public abstract record KeyState
{
    /// <summary>This request inserted the key: it acts, then completes or abandons the key.</summary>
    public sealed record Owned : KeyState;

    public sealed record InProgress(string RequestHash, long ClaimedMs) : KeyState;

    public sealed record Completed(string RequestHash, StoredResponse Response) : KeyState;
}

/// <summary>
/// Idempotency keys, race-free: the key row is inserted first (the primary key decides which request
/// acts), the response is stored when it is known, and duplicates read it. Never check-then-insert.
/// Leases and stored answers are group-committed (<see cref="CommitGroup{TWrite, TResult}"/>): concurrent requests share
/// one transaction and, on PostgreSQL, one round trip for their leases, and another for their answers, instead of an
/// autocommit each in series with the request (issue 13: 140 bookings/s over HTTP where the grain alone takes 311/s).
/// </summary>
public sealed class IdempotencyStore
{
    /// <summary>Most writes per group: 5 parameters a lease keeps a group's statements near 1,000 parameters.</summary>
    private const int MaxGroup = 200;

    /// <summary>What a key whose answer named an erased case answers from then on (<see cref="ErasedFromResponsesAsync"/>).</summary>
    private static readonly string s_erased = Encoding.UTF8.GetString(ProblemWriter.Serialize(ProblemMapper.ForStatus(StatusCodes.Status410Gone,
        "The case this request named was erased; the request is not acted on again.", RuleCode.Erased)));

    private readonly GatewayDatabase _database;
    private readonly TimeProvider _clock;
    private readonly TimeProvider _leaseClock;
    private readonly CommitGroup<Lease, KeyState> _leases;
    private readonly CommitGroup<Answer, int> _answers;

    /// <summary>
    /// Renewals and answers of this gateway take turns: both update several keys this gateway holds in one transaction, and
    /// PostgreSQL locks one statement's rows in the order its plan meets them, so two at once could deadlock and fail a
    /// request's answer. Another gateway's writes cannot meet them in a cycle: it renews and answers only the keys it holds,
    /// and takes a key over one row at a time.
    /// </summary>
    private readonly SemaphoreSlim _renewOrAnswer = new(1, 1);

    /// <param name="clock">The domain clock: a key's age for retention.</param>
    /// <param name="leaseClock">The leases' real-time clock (<see cref="IdempotencyLeases"/>): <c>claimed_ms</c>.</param>
    public IdempotencyStore(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
        [FromKeyedServices(IdempotencyLeases.ClockKey)] TimeProvider leaseClock)
    {
        _database = database;
        _clock = clock;
        _leaseClock = leaseClock;
        _leases = new(group => LeaseAsync(database, clock, leaseClock, group), MaxGroup);
        _answers = new(StoreAnswersAsync, MaxGroup);
    }

    private sealed record Lease(string Caller, string Key, string RequestHash);

    private sealed record Answer(string Caller, string Key, StoredResponse Response);

    /// <summary>Claims the key for this request, or tells what holds it: another request in progress, or the stored answer.</summary>
    public Task<KeyState> BeginAsync(string caller, string key, string requestHash, CancellationToken cancellationToken) =>
        _leases.WriteAsync(new Lease(caller, key, requestHash), cancellationToken);

    /// <summary>Keeps the answer of the request that owns the key; duplicates replay it from now on.</summary>
    public Task CompleteAsync(string caller, string key, StoredResponse response, CancellationToken cancellationToken) =>
        _answers.WriteAsync(new Answer(caller, key, response), cancellationToken);

    /// <summary>
    /// One group of leases in one unit: a multi-row INSERT ... ON CONFLICT DO NOTHING whose RETURNING names the keys this
    /// group now owns (the primary key decides, as row by row), then one SELECT of every key of the group for the others.
    /// Keys go in in one order (caller, key) so that two replicas' groups wait for each other's uncommitted keys in the same
    /// order and cannot deadlock. Two leases of one key in one group (the same request sent twice at once): the first
    /// inserts, the second reads the first's row, as if it had come a moment later.
    /// </summary>
    private static async Task<IReadOnlyList<KeyState>> LeaseAsync(GatewayDatabase database, TimeProvider clock, TimeProvider leaseClock, IReadOnlyList<Lease> leases)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var claimed = leaseClock.GetUtcNow().ToUnixTimeMilliseconds();
        var keys = leases.DistinctBy(l => (l.Caller, l.Key))
            .OrderBy(l => l.Caller, StringComparer.Ordinal).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
        var values = new List<string>(keys.Count);
        var pairs = new List<string>(keys.Count);
        var insert = new List<(string, object?)>(keys.Count * 3 + 2) { ("@now", now), ("@claimed", claimed) };
        var select = new List<(string, object?)>(keys.Count * 2);
        for (var i = 0; i < keys.Count; i++)
        {
            values.Add($"(@c{i}, @k{i}, @h{i}, 'pending', @now, @claimed)");
            pairs.Add($"(@c{i}, @k{i})");
            insert.AddRange([($"@c{i}", keys[i].Caller), ($"@k{i}", keys[i].Key), ($"@h{i}", keys[i].RequestHash)]);
            select.AddRange([($"@c{i}", keys[i].Caller), ($"@k{i}", keys[i].Key)]);
        }
        var results = await database.RunAsync(connection => StatementBatch.QueryAsync(connection, null,
        [
            new Statement("INSERT INTO gateway_idempotency (caller, idem_key, request_hash, state, created_ms, claimed_ms) VALUES "
                + string.Join(", ", values) + " ON CONFLICT DO NOTHING RETURNING caller, idem_key", [.. insert]),
            new Statement("SELECT caller, idem_key, request_hash, state, status_code, content_type, location, etag, body, claimed_ms "
                + "FROM gateway_idempotency WHERE (caller, idem_key) IN (VALUES " + string.Join(", ", pairs) + ")", [.. select]),
        ], CancellationToken.None), CancellationToken.None);
        var inserted = results[0].Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var rows = results[1].ToDictionary(r => ((string)r[0]!, (string)r[1]!));
        var states = new List<KeyState>(leases.Count);
        foreach (var lease in leases)
        {
            // Remove: of two leases of one key in this group, only the first owns it.
            states.Add(inserted.Remove((lease.Caller, lease.Key)) ? new KeyState.Owned()
                : rows.TryGetValue((lease.Caller, lease.Key), out var row) ? StateOf(row)
                // Abandoned between the insert that lost and the read: the next attempt inserts it.
                : new KeyState.InProgress(lease.RequestHash, 0));
        }
        return states;
    }

    private static KeyState StateOf(object?[] row)
    {
        var hash = (string)row[2]!;
        if ((string)row[3]! == "pending")
        {
            return new KeyState.InProgress(hash, Convert.ToInt64(row[9], CultureInfo.InvariantCulture));
        }
        return new KeyState.Completed(hash, new StoredResponse(
            Convert.ToInt32(row[4], CultureInfo.InvariantCulture), (string?)row[5], (string?)row[6], (string?)row[7], (string?)row[8] ?? ""));
    }

    /// <summary>One group of answers in one unit: an UPDATE each, in one round trip where the provider batches.</summary>
    private async Task<IReadOnlyList<int>> StoreAnswersAsync(IReadOnlyList<Answer> answers)
    {
        await _renewOrAnswer.WaitAsync();
        try
        {
            return await _database.RunAsync(connection => StatementBatch.WriteAsync(connection, null,
            [
                .. answers.Select(a => new Statement(
                    """
                    UPDATE gateway_idempotency SET state = 'done', status_code = @status, content_type = @type, location = @location, etag = @etag, body = @body
                    WHERE caller = @caller AND idem_key = @key
                    """,
                    ("@status", (long)a.Response.StatusCode), ("@type", a.Response.ContentType), ("@location", a.Response.Location), ("@etag", a.Response.ETag),
                    ("@body", a.Response.Body), ("@caller", a.Caller), ("@key", a.Key))),
            ], CancellationToken.None), CancellationToken.None);
        }
        finally
        {
            _renewOrAnswer.Release();
        }
    }

    /// <summary>
    /// Renews the leases of the keys this gateway's running requests hold, all in one statement (a rush holds hundreds; groups
    /// of <see cref="MaxGroup"/> keys keep its parameters within every provider's limit). A key already answered or abandoned
    /// is left alone.
    /// </summary>
    public async Task RenewAsync(IReadOnlyList<(string Caller, string Key)> held, long nowMs, CancellationToken cancellationToken)
    {
        var statements = held.Chunk(MaxGroup).Select(chunk =>
        {
            var parameters = new List<(string, object?)>(chunk.Length * 2 + 1) { ("@now", nowMs) };
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.AddRange([($"@c{i}", chunk[i].Caller), ($"@k{i}", chunk[i].Key)]);
            }
            return new Statement("UPDATE gateway_idempotency SET claimed_ms = @now WHERE state = 'pending' AND (caller, idem_key) IN (VALUES "
                + string.Join(", ", Enumerable.Range(0, chunk.Length).Select(i => $"(@c{i}, @k{i})")) + ")", [.. parameters]);
        }).ToList();
        await _renewOrAnswer.WaitAsync(cancellationToken);
        try
        {
            await _database.RunAsync(connection => StatementBatch.WriteAsync(connection, null, statements, cancellationToken), cancellationToken);
        }
        finally
        {
            _renewOrAnswer.Release();
        }
    }

    /// <summary>Takes over a key whose owner stopped (crashed replica) without completing it; true if this caller won it.</summary>
    public Task<bool> TakeOverAsync(string caller, string key, long claimedMs, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            // Only the lease it saw expire: a renewal or another taker in between changed claimed_ms, and this one waits on.
            await using var update = GatewayDatabase.Command(connection,
                "UPDATE gateway_idempotency SET claimed_ms = @now WHERE caller = @caller AND idem_key = @key AND state = 'pending' AND claimed_ms = @claimed",
                ("@now", _leaseClock.GetUtcNow().ToUnixTimeMilliseconds()), ("@caller", caller), ("@key", key), ("@claimed", claimedMs));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    /// <summary>
    /// Erasure reaches stored answers too: a kept response that names the returnee (its creation, say) becomes a 410 <c>erased</c>
    /// problem without personal data. The key stays known, so a retry of the creation is answered, not acted on again: deleting
    /// the row let the retry register the erased person anew.
    /// </summary>
    public Task ErasedFromResponsesAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var update = GatewayDatabase.Command(connection,
                """
                UPDATE gateway_idempotency SET status_code = @status, content_type = @type, location = NULL, etag = NULL, body = @body
                WHERE state = 'done' AND body LIKE @pattern
                """,
                ("@status", (long)StatusCodes.Status410Gone), ("@type", Problem.ContentType), ("@body", s_erased), ("@pattern", Mentioning(id)));
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// A withdrawal of consent reaches stored answers too: one that showed the person to the provider of <paramref name="referralId"/>
    /// (a step's answer carries <c>person</c>) is dropped, so that no replay shows the person once sharing stopped. A retry acts
    /// again and meets the stopped referral (409).
    /// </summary>
    public Task ForgetSharedPersonAsync(string referralId, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var delete = GatewayDatabase.Command(connection,
                "DELETE FROM gateway_idempotency WHERE state = 'done' AND body LIKE @pattern AND body LIKE '%\"person\":{%'",
                ("@pattern", Mentioning(referralId)));
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>A JSON body naming the id as a value; ids are letters, digits and dashes, so nothing in them is a LIKE wildcard.</summary>
    private static string Mentioning(string id) => "%\"" + id + "\"%";

    /// <summary>Drops keys older than <paramref name="age"/>: a retry comes within minutes, not days.</summary>
    public Task<int> PurgeAsync(TimeSpan age, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var delete = GatewayDatabase.Command(connection,
                "DELETE FROM gateway_idempotency WHERE created_ms < @before", ("@before", (_clock.GetUtcNow() - age).ToUnixTimeMilliseconds()));
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Forgets a key whose request failed on the server side, so that a retry acts again.</summary>
    public Task AbandonAsync(string caller, string key, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var delete = GatewayDatabase.Command(connection,
                "DELETE FROM gateway_idempotency WHERE caller = @caller AND idem_key = @key AND state = 'pending'",
                ("@caller", caller), ("@key", key));
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
