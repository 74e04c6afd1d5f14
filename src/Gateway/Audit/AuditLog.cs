using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Audit;

/// <summary>One access to personal data or one denied access.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Subject, string Role, string Country, string Action, string Resource, string Outcome, string PrevHash, string Hash);

/// <summary>The answer of <c>GET /audit/verify</c>: where the chain breaks, if it does.</summary>
public sealed record AuditVerification(bool Valid, long Rows, long? BrokenAtSeq, string? Reason);

/// <summary>
/// The append-only access log. Each row's hash covers its fields and the previous row's hash, and a head
/// row holds the last sequence number and hash: an edited row breaks its hash, a deleted row breaks the
/// sequence or the link, a deleted tail disagrees with the head.
/// </summary>
public sealed class AuditLog(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    private readonly AuditAppender _appender = new(database, clock);

    /// <summary>
    /// Appends one entry and returns once it is committed. Appenders that arrive while a commit is under way are written
    /// together by the next one, in arrival order, in one transaction (<see cref="AuditAppender"/>): on PostgreSQL with
    /// fsync on, one commit per audited request held every audited list at 150-240 req/s at 8 connections (issue 16,
    /// bench/TenYears), whatever the query cost. The chain is the same as entry by entry.
    /// </summary>
    public Task AppendAsync(string subject, string role, string country, string action, string resource, string outcome, CancellationToken cancellationToken) =>
        _appender.AppendAsync(new AuditFields(subject, role, country, action, resource, outcome), cancellationToken);

    /// <summary>
    /// A page of the log: newest first below sequence <paramref name="from"/> (the list's default), or oldest first above it
    /// (<c>afterSeq</c>, for exporters that read the log forward). A filter that is not asked for is left out of the text,
    /// so each combination has its own plan (gateway_audit_subject and _action, migration <c>gateway</c> 3).
    /// </summary>
    public async Task<List<AuditEntry>> ListAsync(bool newestFirst, long from, int limit, string? subject, string? action, CancellationToken cancellationToken)
    {
        // Entries grains wrote with their state join the chain first: a reader sees every committed entry.
        await SealAsync();
        return await ListSealedAsync(newestFirst, from, limit, subject, action, cancellationToken);
    }

    /// <summary>
    /// Seals every entry grains wrote with their state (<see cref="PendingAudit"/>) into the chain; returns how many. Run by
    /// <see cref="AuditSealing"/> every second and before every read of the log.
    /// </summary>
    public async Task<int> SealAsync()
    {
        var total = 0;
        int sealedNow;
        while ((sealedNow = await _appender.SealAsync()) > 0)
        {
            total += sealedNow;
        }
        return total;
    }

    private Task<List<AuditEntry>> ListSealedAsync(bool newestFirst, long from, int limit, string? subject, string? action, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            var where = new List<string> { newestFirst ? "seq < @from" : "seq > @from" };
            if (!string.IsNullOrEmpty(subject))
            {
                where.Add("subject = @subject");
            }
            if (!string.IsNullOrEmpty(action))
            {
                where.Add("action = @action");
            }
            await using var query = GatewayDatabase.Command(connection,
                "SELECT seq, at_ms, subject, role, country, action, resource, outcome, prev_hash, hash FROM gateway_audit WHERE "
                + string.Join(" AND ", where) + (newestFirst ? " ORDER BY seq DESC" : " ORDER BY seq") + " LIMIT @limit",
                ("@from", from), ("@subject", subject), ("@action", action), ("@limit", (long)limit));
            var entries = new List<AuditEntry>();
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(Read(reader));
            }
            return entries;
        }, cancellationToken);

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await SealAsync();
        return await VerifySealedAsync(cancellationToken);
    }

    private Task<AuditVerification> VerifySealedAsync(CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            long headSeq;
            string headHash;
            await using (var head = GatewayDatabase.Command(connection, "SELECT seq, hash FROM gateway_audit_head WHERE id = 1"))
            await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return new AuditVerification(false, 0, null, "The chain's head row is missing.");
                }
                headSeq = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                headHash = reader.GetString(1);
            }
            var expectedSeq = 1L;
            var prev = GatewaySchema.AuditGenesis;
            await using (var rows = GatewayDatabase.Command(connection,
                "SELECT seq, at_ms, subject, role, country, action, resource, outcome, prev_hash, hash FROM gateway_audit ORDER BY seq"))
            await using (var reader = await rows.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var e = Read(reader);
                    if (e.Seq != expectedSeq)
                    {
                        return new AuditVerification(false, expectedSeq - 1, expectedSeq, $"Row {expectedSeq} is missing.");
                    }
                    if (e.PrevHash != prev)
                    {
                        return new AuditVerification(false, expectedSeq - 1, e.Seq, $"Row {e.Seq} does not link to the row before it.");
                    }
                    if (Hash(prev, e.Seq, e.At.ToUnixTimeMilliseconds(), e.Subject, e.Role, e.Country, e.Action, e.Resource, e.Outcome) != e.Hash)
                    {
                        return new AuditVerification(false, expectedSeq - 1, e.Seq, $"Row {e.Seq} was changed after it was written.");
                    }
                    prev = e.Hash;
                    expectedSeq++;
                }
            }
            var count = expectedSeq - 1;
            return count != headSeq || prev != headHash
                ? new AuditVerification(false, count, count + 1, "Rows at the end of the log were removed.")
                : new AuditVerification(true, count, null, null);
        }, cancellationToken);

    private static AuditEntry Read(DbDataReader r) => new(
        Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
        r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9));

    /// <summary>A JSON array is an unambiguous encoding of the fields: no separator can be forged inside a value.</summary>
    internal static string Hash(string prev, long seq, long atMs, string subject, string role, string country, string action, string resource, string outcome)
    {
        var canonical = JsonSerializer.Serialize(new object[] { prev, seq, atMs, subject, role, country, action, resource, outcome });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
