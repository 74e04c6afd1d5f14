using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Calendars;

/// <summary>Whether the caller has a feed, and since when; the secret itself is shown once, when it is issued.</summary>
public sealed record CalendarFeedStatus(bool Active, DateTimeOffset? IssuedAt);

/// <summary>A feed just issued: its address, which carries the secret, and when it was issued.</summary>
public sealed record CalendarFeedIssued(string Url, DateTimeOffset IssuedAt);

/// <summary>
/// The per-caller secrets of the calendar feeds. A calendar client cannot send a bearer token, so the secret in the feed's
/// address stands for the caller who issued it; the caller replaces it (issuing again) or revokes it, and either makes the old
/// address 404 at once. Only the secret's SHA-256 is stored, and looked up by it.
/// </summary>
public sealed class CalendarFeeds(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    /// <summary>32 random bytes in base64url without padding: 43 characters.</summary>
    public const int SecretLength = 43;

    private const string Upsert = """
        INSERT INTO gateway_calendar_feeds (caller, secret_hash, role, country, subject, issued_ms)
        VALUES (@caller, @secret_hash, @role, @country, @subject, @issued_ms)
        ON CONFLICT (caller) DO UPDATE SET secret_hash = excluded.secret_hash, role = excluded.role, country = excluded.country,
            subject = excluded.subject, issued_ms = excluded.issued_ms
        """;

    /// <summary>A new secret for <paramref name="caller"/>, replacing any earlier one.</summary>
    public async Task<(string Secret, DateTimeOffset IssuedAt)> IssueAsync(string identityKey, Caller caller, CancellationToken cancellationToken)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, Upsert,
                ("@caller", identityKey), ("@secret_hash", Hash(secret)), ("@role", caller.Role), ("@country", caller.Country ?? ""),
                ("@subject", caller.Subject), ("@issued_ms", now.ToUnixTimeMilliseconds()));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return (secret, now);
    }

    /// <summary>Forgets the caller's secret; true when there was one.</summary>
    public Task<bool> RevokeAsync(string identityKey, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, "DELETE FROM gateway_calendar_feeds WHERE caller = @caller", ("@caller", identityKey));
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<CalendarFeedStatus> StatusAsync(string identityKey, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, "SELECT issued_ms FROM gateway_calendar_feeds WHERE caller = @caller", ("@caller", identityKey));
            var issued = await command.ExecuteScalarAsync(cancellationToken);
            return issued is null or DBNull
                ? new CalendarFeedStatus(false, null)
                : new CalendarFeedStatus(true, DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(issued, CultureInfo.InvariantCulture)));
        }, cancellationToken);

    /// <summary>The caller a secret stands for, or null: unknown, revoked, replaced or not a secret's shape.</summary>
    public async Task<Caller?> OwnerAsync(string secret, CancellationToken cancellationToken)
    {
        if (secret.Length != SecretLength || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        return await database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection,
                "SELECT role, country, subject FROM gateway_calendar_feeds WHERE secret_hash = @secret_hash", ("@secret_hash", Hash(secret)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new Caller(reader.GetString(0), reader.GetString(1) is { Length: > 0 } country ? country : null, reader.GetString(2))
                : null;
        }, cancellationToken);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
