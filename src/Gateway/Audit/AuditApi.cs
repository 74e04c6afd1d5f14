using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Audit;

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextAfterSeq);

/// <summary>The tamper-evident access log, for the fundamental-rights officer and administrators.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/audit", "Audit").RequireAuthorization(Policies.Oversight);
        group.MapGet("/", ListAsync).WithSummary("Read the access log");
        group.MapGet("/verify", VerifyAsync).WithSummary("Verify the access log's hash chain");
        return app;
    }

    private static async Task<Ok<AuditPage>> ListAsync(AuditLog log, CancellationToken cancellationToken,
        long afterSeq = 0, int limit = 100, string? subject = null, string? action = null)
    {
        if (afterSeq < 0 || limit is < 1 or > 1000)
        {
            throw RequestProblemException.BadRequest("afterSeq is not negative; limit is 1 to 1000.");
        }
        var items = await log.ListAsync(afterSeq, limit, subject, action, cancellationToken);
        return TypedResults.Ok(new AuditPage(items, items.Count == limit ? items[^1].Seq : null));
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(AuditLog log, CancellationToken cancellationToken) =>
        TypedResults.Ok(await log.VerifyAsync(cancellationToken));
}
