using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;

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
/// </summary>
public sealed class IdempotencyStore(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    public Task<KeyState> BeginAsync(string caller, string key, string requestHash, CancellationToken cancellationToken) =>
        database.RunAsync<KeyState>(async connection =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await using (var insert = GatewayDatabase.Command(connection,
                """
                INSERT INTO gateway_idempotency (caller, idem_key, request_hash, state, created_ms, claimed_ms)
                VALUES (@caller, @key, @hash, 'pending', @now, @now) ON CONFLICT DO NOTHING
                """,
                ("@caller", caller), ("@key", key), ("@hash", requestHash), ("@now", now)))
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return new KeyState.Owned();
                }
            }
            await using var read = GatewayDatabase.Command(connection,
                "SELECT request_hash, state, status_code, content_type, location, etag, body, claimed_ms FROM gateway_idempotency WHERE caller = @caller AND idem_key = @key",
                ("@caller", caller), ("@key", key));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                // Abandoned between our insert and read: the next attempt inserts it.
                return new KeyState.InProgress(requestHash, 0);
            }
            var hash = reader.GetString(0);
            if (reader.GetString(1) == "pending")
            {
                return new KeyState.InProgress(hash, Convert.ToInt64(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture));
            }
            return new KeyState.Completed(hash, new StoredResponse(
                Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? "" : reader.GetString(6)));
        }, cancellationToken);

    /// <summary>Takes over a key whose owner stopped (crashed replica) without completing it; true if this caller won it.</summary>
    public Task<bool> TakeOverAsync(string caller, string key, long claimedMs, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var update = GatewayDatabase.Command(connection,
                "UPDATE gateway_idempotency SET claimed_ms = @now WHERE caller = @caller AND idem_key = @key AND state = 'pending' AND claimed_ms = @claimed",
                ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@caller", caller), ("@key", key), ("@claimed", claimedMs));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task CompleteAsync(string caller, string key, StoredResponse response, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var update = GatewayDatabase.Command(connection,
                """
                UPDATE gateway_idempotency SET state = 'done', status_code = @status, content_type = @type, location = @location, etag = @etag, body = @body
                WHERE caller = @caller AND idem_key = @key
                """,
                ("@status", (long)response.StatusCode), ("@type", response.ContentType), ("@location", response.Location), ("@etag", response.ETag),
                ("@body", response.Body), ("@caller", caller), ("@key", key));
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Erasure reaches stored answers too: a kept response that names the returnee (its creation, say) is dropped,
    /// so personal data does not outlive an erasure in the replay store.
    /// </summary>
    public Task ForgetResponsesMentioningAsync(string id, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var delete = GatewayDatabase.Command(connection,
                "DELETE FROM gateway_idempotency WHERE state = 'done' AND body LIKE @pattern", ("@pattern", "%\"" + id + "\"%"));
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Drops keys older than <paramref name="age"/>: a retry comes within minutes, not days.</summary>
    public Task<int> PurgeAsync(TimeSpan age, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var delete = GatewayDatabase.Command(connection,
                "DELETE FROM gateway_idempotency WHERE created_ms < @before", ("@before", (clock.GetUtcNow() - age).ToUnixTimeMilliseconds()));
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Forgets a key whose request failed on the server side, so that a retry acts again.</summary>
    public Task AbandonAsync(string caller, string key, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var delete = GatewayDatabase.Command(connection,
                "DELETE FROM gateway_idempotency WHERE caller = @caller AND idem_key = @key AND state = 'pending'",
                ("@caller", caller), ("@key", key));
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
