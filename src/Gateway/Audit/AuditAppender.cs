using System.Globalization;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Audit;

/// <summary>The fields of one entry, as the caller gives them.</summary>
internal sealed record AuditFields(string Subject, string Role, string Country, string Action, string Resource, string Outcome);

/// <summary>
/// Writes the audit chain in groups (<see cref="CommitGroup{TWrite, TResult}"/>): each group is one multi-row INSERT and the
/// head row's move, in one transaction, hashed as entry by entry. This gateway remembers the head its last group left; while
/// no other replica has appended since, a group is one round trip (hashed before it, so no lock is held while hashing): the
/// head moves only from the remembered head, and the rows go in only if the head is then this group's last row. A stale
/// memory so writes nothing (or fails on the sequence's primary key), and the group is written the locked way: the head read
/// under its row lock, which serialises replicas, then the rows and the head's hash. While replicas take turns, each
/// group goes the locked way at once (<see cref="_contended"/>), without first trying the head it remembers.
/// Entry by entry, one INSERT a row, 200 appenders at once got 1,381 appends/s (bench/BookingRush --audit, fsync on).
/// </summary>
internal sealed class AuditAppender
{
    /// <summary>At most this many entries per group: 10 parameters a row keep a group's INSERT near 2,000 parameters.</summary>
    private const int MaxGroup = 200;

    private readonly GatewayDatabase _database;
    private readonly TimeProvider _clock;
    private readonly CommitGroup<AuditFields, long> _appends;

    /// <summary>The head this gateway's last group left, if it knows it; only the group in flight (one at a time) uses it.</summary>
    private Head? _head;

    /// <summary>
    /// Another replica appended between this gateway's last two groups: the next group goes the locked way at once instead of
    /// first trying a remembered head that is probably stale (a wasted round trip per group while replicas take turns). A
    /// locked group that finds the head where this gateway left it clears it.
    /// </summary>
    private bool _contended;

    private sealed record Head(long Seq, string Hash);

    private sealed record Row(long Seq, string Prev, string Hash, AuditFields Fields, long At);

    public AuditAppender(GatewayDatabase database, TimeProvider clock)
    {
        _database = database;
        _clock = clock;
        _appends = new CommitGroup<AuditFields, long>(WriteAsync, MaxGroup);
    }

    public Task AppendAsync(AuditFields fields, CancellationToken cancellationToken) => _appends.WriteAsync(fields, cancellationToken);

    private async Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<AuditFields> entries)
    {
        var at = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var remembered = _head;
        if (_head is { } head && !_contended)
        {
            _head = null;
            var rows = Chain(head, at, entries);
            var last = rows[^1];
            try
            {
                var changed = await _database.RunAsync(connection => StatementBatch.WriteAsync(connection, null,
                [
                    new Statement("UPDATE gateway_audit_head SET seq = @last, hash = @hash WHERE id = 1 AND seq = @seq AND hash = @prev",
                        ("@last", last.Seq), ("@hash", last.Hash), ("@seq", head.Seq), ("@prev", head.Hash)),
                    Insert(rows, " AS v WHERE EXISTS (SELECT 1 FROM gateway_audit_head WHERE id = 1 AND seq = @last AND hash = @hash)",
                        ("@last", last.Seq), ("@hash", last.Hash)),
                ], CancellationToken.None), CancellationToken.None);
                if (changed[1] == rows.Count)
                {
                    _head = new Head(last.Seq, last.Hash);
                    return [.. rows.Select(r => r.Seq)];
                }
            }
            catch (StorageUnavailableException)
            {
                // Another replica's rows hold these sequence numbers, or the database failed: the locked way tells which.
            }
        }
        return await WriteLockedAsync(at, entries, remembered);
    }

    /// <summary>
    /// Seals the entries grains wrote with their state (<see cref="PendingAudit"/>) into the chain: under the head's row lock
    /// (as the locked way of a group), the oldest <see cref="MaxGroup"/> by id are hashed after the head, inserted and taken out of
    /// the pending table in one transaction, so each is sealed once, by whichever gateway gets there first. Returns how many.
    /// </summary>
    public Task<int> SealAsync() => _database.RunAsync(async connection =>
    {
        await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
        Head head;
        await using (var lockHead = GatewayDatabase.Command(connection, "UPDATE gateway_audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash"))
        {
            lockHead.Transaction = tx;
            await using var reader = await lockHead.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            head = new Head(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1));
        }
        var pending = (await StatementBatch.QueryAsync(connection, tx,
        [
            new Statement($"SELECT id, at_ms, subject, role, country, action, resource, outcome FROM {PendingAudit.Table} ORDER BY id LIMIT @n", ("@n", (long)MaxGroup)),
        ], CancellationToken.None))[0];
        if (pending.Count == 0)
        {
            return 0;
        }
        var rows = Chain(head, [.. pending.Select(p => (new AuditFields((string)p[2]!, (string)p[3]!, (string)p[4]!, (string)p[5]!, (string)p[6]!, (string)p[7]!),
            Convert.ToInt64(p[1], CultureInfo.InvariantCulture)))]);
        await StatementBatch.WriteAsync(connection, tx,
        [
            Insert(rows, ""),
            new Statement($"DELETE FROM {PendingAudit.Table} WHERE id IN (" + string.Join(", ", pending.Select((_, i) => "@d" + i)) + ")",
                [.. pending.Select((p, i) => new StatementParameter("@d" + i, p[0]))]),
            new Statement("UPDATE gateway_audit_head SET seq = @seq, hash = @hash WHERE id = 1", ("@seq", rows[^1].Seq), ("@hash", rows[^1].Hash)),
        ], CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return pending.Count;
    }, CancellationToken.None);

    private Task<IReadOnlyList<long>> WriteLockedAsync(long at, IReadOnlyList<AuditFields> entries, Head? remembered) =>
        _database.RunAsync<IReadOnlyList<long>>(async connection =>
        {
            await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
            Head head;
            await using (var move = GatewayDatabase.Command(connection, "UPDATE gateway_audit_head SET seq = seq + @n WHERE id = 1 RETURNING seq, hash",
                ("@n", (long)entries.Count)))
            {
                move.Transaction = tx;
                await using var reader = await move.ExecuteReaderAsync(CancellationToken.None);
                await reader.ReadAsync(CancellationToken.None);
                head = new Head(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) - entries.Count, reader.GetString(1));
            }
            var rows = Chain(head, at, entries);
            await StatementBatch.WriteAsync(connection, tx,
            [
                Insert(rows, ""),
                new Statement("UPDATE gateway_audit_head SET hash = @hash WHERE id = 1", ("@hash", rows[^1].Hash)),
            ], CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
            _contended = head != remembered;
            _head = new Head(rows[^1].Seq, rows[^1].Hash);
            return [.. rows.Select(r => r.Seq)];
        }, CancellationToken.None);

    /// <summary>The group's rows after <paramref name="head"/>, each linked to the one before and hashed as <see cref="AuditLog.Hash"/>.</summary>
    private static List<Row> Chain(Head head, long at, IReadOnlyList<AuditFields> entries) => Chain(head, [.. entries.Select(e => (e, at))]);

    private static List<Row> Chain(Head head, IReadOnlyList<(AuditFields Fields, long At)> entries)
    {
        var rows = new List<Row>(entries.Count);
        var prev = head.Hash;
        foreach (var (e, at) in entries)
        {
            var seq = head.Seq + rows.Count + 1;
            var hash = AuditLog.Hash(prev, seq, at, e.Subject, e.Role, e.Country, e.Action, e.Resource, e.Outcome);
            rows.Add(new Row(seq, prev, hash, e, at));
            prev = hash;
        }
        return rows;
    }

    /// <summary>One INSERT of every row of the group, from a VALUES list that <paramref name="condition"/> may guard.</summary>
    private static Statement Insert(List<Row> rows, string condition, params (string, object?)[] extra)
    {
        var values = new List<string>(rows.Count);
        var parameters = new List<(string, object?)>(rows.Count * 10 + extra.Length);
        parameters.AddRange(extra);
        for (var i = 0; i < rows.Count; i++)
        {
            var (r, f) = (rows[i], rows[i].Fields);
            values.Add($"(@s{i}, @t{i}, @u{i}, @r{i}, @c{i}, @a{i}, @x{i}, @o{i}, @p{i}, @h{i})");
            parameters.AddRange([($"@s{i}", r.Seq), ($"@t{i}", r.At), ($"@u{i}", f.Subject), ($"@r{i}", f.Role), ($"@c{i}", f.Country), ($"@a{i}", f.Action),
                ($"@x{i}", f.Resource), ($"@o{i}", f.Outcome), ($"@p{i}", r.Prev), ($"@h{i}", r.Hash)]);
        }
        var list = "VALUES " + string.Join(", ", values);
        return new Statement("INSERT INTO gateway_audit (seq, at_ms, subject, role, country, action, resource, outcome, prev_hash, hash) "
            + (condition.Length == 0 ? list : "SELECT * FROM (" + list + ")" + condition), [.. parameters]);
    }
}
