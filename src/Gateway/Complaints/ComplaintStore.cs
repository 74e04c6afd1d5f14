using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// The complaints of the public channel (rule 24), in the gateway's table <c>gateway_complaints</c> (<see cref="GatewaySchema"/>): a
/// complaint is tied to no case and no operation the platform knows of, is written once by a stranger and then changed by one
/// officer, so it needs no grain. One SQL text serves both databases. Tracking codes are stored only as hashes.
/// </summary>
public sealed class ComplaintStore(GatewayDatabase database, IOptions<ComplaintLimits> limits, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    private const string Columns = """
        id, status, received_ms, complainant, language, happened_on, operation_id, what_happened, contact, answer, forwarded_to,
        updated_ms, closed_ms, erased_ms
        """;

    /// <summary>Still open: a closed or erased complaint takes no answer, forwarding or second closing.</summary>
    private const string Open = "status <> 'Closed' AND erased_ms IS NULL";

    /// <summary>The personal data of a complaint: what the complainant wrote and what the officer wrote back.</summary>
    private const string ErasePersonalData = """
        what_happened = NULL, contact = NULL, answer = NULL, close_reason = NULL, operation_id = NULL, erased_ms = @now, updated_ms = @now
        """;

    /// <summary>Stores a new complaint; the tracking code is returned this once.</summary>
    public async Task<ComplaintReceipt> SubmitAsync(ComplaintSubmission form, CancellationToken cancellationToken)
    {
        var code = TrackingCode.New();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await ExecuteAsync($"""
            INSERT INTO gateway_complaints (id, tracking_hash, status, received_ms, updated_ms, complainant, language, happened_on,
                operation_id, what_happened, contact)
            VALUES (@id, @hash, 'Received', @now, @now, @complainant, @language, @happened_on, @operation_id, @what_happened, @contact)
            """, cancellationToken,
            ("@id", ApiConventions.NewId("complaint-", clock)), ("@hash", TrackingCode.Hash(code)), ("@now", now),
            ("@complainant", form.Complainant.ToString()), ("@language", form.Language),
            ("@happened_on", form.HappenedOn.ToString("O", CultureInfo.InvariantCulture)),
            ("@operation_id", Blank(form.OperationId)), ("@what_happened", form.WhatHappened.Trim()), ("@contact", Blank(form.Contact)));
        return new ComplaintReceipt(code, ComplaintStatus.Received);
    }

    /// <summary>The status a tracking code shows, or null when it names no complaint.</summary>
    public async Task<ComplaintStatus?> StatusAsync(string trackingCode, CancellationToken cancellationToken)
    {
        if (TrackingCode.Hash(trackingCode) is not { } hash)
        {
            return null;
        }
        var status = await database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, "SELECT status FROM gateway_complaints WHERE tracking_hash = @hash", ("@hash", hash));
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }, cancellationToken);
        return status is null ? null : Enum.Parse<ComplaintStatus>(status);
    }

    /// <summary>Complaints newest first, of one status or all; at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<ComplaintView>> ListAsync(ComplaintStatus? status, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<ComplaintView>>(async connection =>
        {
            var only = status is null ? "" : "WHERE status = @status";
            await using var command = GatewayDatabase.Command(connection, $"""
                SELECT {Columns} FROM gateway_complaints {only} ORDER BY received_ms DESC, id DESC LIMIT @limit
                """, ("@status", status?.ToString() ?? ""), ("@limit", limit));
            return await ReadAsync(command, cancellationToken);
        }, cancellationToken);

    public async Task<ComplaintView> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        var found = await database.RunAsync<IReadOnlyList<ComplaintView>>(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, $"SELECT {Columns} FROM gateway_complaints WHERE id = @id", ("@id", id));
            return await ReadAsync(command, cancellationToken);
        }, cancellationToken);
        return found.Count == 1 ? found[0] : throw new ResourceNotFoundException();
    }

    public Task<ComplaintView> AnswerAsync(string id, ComplaintAnswer answer, CancellationToken cancellationToken) =>
        ChangeAsync(id, "status = 'Answered', answer = @text", cancellationToken, ("@text", answer.Text.Trim()));

    public Task<ComplaintView> ForwardAsync(string id, string country, CancellationToken cancellationToken) =>
        ChangeAsync(id, "status = 'Forwarded', forwarded_to = @country", cancellationToken, ("@country", country));

    public Task<ComplaintView> CloseAsync(string id, ComplaintClosing closing, CancellationToken cancellationToken) =>
        ChangeAsync(id, "status = 'Closed', close_reason = @reason, closed_ms = @now", cancellationToken, ("@reason", closing.Reason.Trim()));

    /// <summary>
    /// Erases a complaint's personal data at once (the complainant asked, or the officer judged it so) and closes it; the status,
    /// dates, language and kind of complainant stay, so the channel's use can still be counted. Erasing again changes nothing.
    /// </summary>
    public async Task EraseAsync(string id, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken);
        await ExecuteAsync($"""
            UPDATE gateway_complaints SET {ErasePersonalData}, status = 'Closed', closed_ms = COALESCE(closed_ms, @now)
            WHERE id = @id AND erased_ms IS NULL
            """, cancellationToken, ("@id", id), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <summary>Erases the personal data of every complaint closed longer than the retention period; how many were erased.</summary>
    public Task<int> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ExecuteAsync($"""
            UPDATE gateway_complaints SET {ErasePersonalData}
            WHERE erased_ms IS NULL AND closed_ms IS NOT NULL AND closed_ms <= @cutoff
            """, cancellationToken, ("@now", now.ToUnixTimeMilliseconds()),
            ("@cutoff", now.AddDays(-limits.Value.RetentionDays).ToUnixTimeMilliseconds()));
    }

    /// <summary>One officer's step on an open complaint: 404 when there is none, 409 when it is closed already.</summary>
    private async Task<ComplaintView> ChangeAsync(string id, string set, CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        var current = await GetAsync(id, cancellationToken);
        var changed = await ExecuteAsync($"UPDATE gateway_complaints SET {set}, updated_ms = @now WHERE id = @id AND {Open}", cancellationToken,
            [("@id", id), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()), .. values]);
        return changed == 1
            ? await GetAsync(id, cancellationToken)
            : throw new DomainRuleException(RuleCode.InvalidTransition, $"The complaint is {(current.ErasedAt is null ? "closed" : "erased")}: it takes no further step.");
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] values) =>
        database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, sql, values);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<IReadOnlyList<ComplaintView>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var views = new List<ComplaintView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(new ComplaintView(
                Id: reader.GetString(0),
                Status: Enum.Parse<ComplaintStatus>(reader.GetString(1)),
                ReceivedAt: Time(reader, 2)!.Value,
                Complainant: Enum.Parse<Complainant>(reader.GetString(3)),
                Language: reader.GetString(4),
                HappenedOn: DateOnly.ParseExact(reader.GetString(5), "O", CultureInfo.InvariantCulture),
                OperationId: Text(reader, 6),
                WhatHappened: Text(reader, 7),
                Contact: Text(reader, 8),
                Answer: Text(reader, 9),
                ForwardedTo: Text(reader, 10),
                UpdatedAt: Time(reader, 11)!.Value,
                ClosedAt: Time(reader, 12),
                ErasedAt: Time(reader, 13)));
        }
        return views;
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
