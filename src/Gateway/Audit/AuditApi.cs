using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Audit;

/// <summary>
/// A page of the access log. <see cref="NextAfter"/> continues a newest-first listing (<c>after</c>); <see cref="NextAfterSeq"/>
/// an oldest-first one (<c>afterSeq</c>, kept for exporters that read the log forward).
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextAfterSeq, string? NextAfter);

/// <summary>The tamper-evident access log, for the fundamental-rights officer and administrators.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/audit", "Audit").RequireAuthorization(Policies.Oversight);
        group.MapGet("/", ListAsync).WithSummary("Read the access log")
            .WithDescription("FRO and admin. Every access to personal data and every denied access, with its hash; newest first with `after`, or " +
                "oldest first from `afterSeq` for exporters; filter by subject and action.");
        group.MapGet("/verify", VerifyAsync).WithSummary("Verify the access log's hash chain")
            .WithDescription("FRO and admin. Recomputes the chain over the whole log: whether it holds, how many rows were checked and, if it " +
                "breaks, at which sequence number and why.");
        return app;
    }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string CursorList = "audit";

    /// <summary>Newest first with <c>after</c> (<see cref="PageCursor"/>); oldest first from <c>afterSeq</c> when that is given.</summary>
    private static async Task<Ok<AuditPage>> ListAsync(AuditLog log, CancellationToken cancellationToken,
        [Range(typeof(long), "0", "9223372036854775807")] long? afterSeq = null, string? after = null, [Range(1, MaxPageSize)] int? limit = null, string? subject = null, string? action = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        if (afterSeq < 0 || (afterSeq is not null && !string.IsNullOrEmpty(after)))
        {
            throw RequestProblemException.BadRequest("afterSeq is not negative and is not combined with after.");
        }
        if (afterSeq is { } seq)
        {
            var forward = await log.ListAsync(newestFirst: false, seq, size, subject, action, cancellationToken);
            return TypedResults.Ok(new AuditPage(forward, forward.Count == size ? forward[^1].Seq : null, null));
        }
        var before = PageCursor.Decode(after, CursorList, 1)?.Number(0) ?? long.MaxValue;
        var rows = await log.ListAsync(newestFirst: true, before, size + 1, subject, action, cancellationToken);
        var (page, next) = PageCursor.Page(rows, size, CursorList, e => [e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return TypedResults.Ok(new AuditPage(page, null, next));
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(AuditLog log, CancellationToken cancellationToken) =>
        TypedResults.Ok(await log.VerifyAsync(cancellationToken));
}
