using ReturnOps.Gateway.Observability;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Audit;

/// <summary>Names an endpoint's access to personal data, or a change to where messages go, in the audit log.</summary>
public sealed record AuditedAttribute(string Action);

/// <summary>
/// Audits every call of an endpoint marked with <see cref="AuditedAttribute"/>, whatever its outcome, and
/// every 401/403 of a caller with a valid token anywhere. The row of a personal-data read is written before the answer leaves: if the
/// log cannot be written, no data goes out (503).
/// </summary>
public static class AuditRecorder
{
    private const string RecordedKey = "returnops.audit.recorded";

    /// <summary>Audits each call of this endpoint under <paramref name="action"/>.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AuditedAttribute(action));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            object? result;
            try
            {
                result = await next(context);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await RecordAsync(http, action, ProblemMapper.ForException(exception).Status);
                throw;
            }
            if (!http.Items.ContainsKey(RecordedKey))
            {
                await RecordAsync(http, action, (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK);
            }
            return result;
        });
        return builder;
    }

    /// <summary>
    /// Middleware: records a 401 or 403 that no audited endpoint recorded, when the caller presented a valid token. A refusal
    /// of a caller without one only counts (<c>returnops_unauthenticated_requests_total</c>): anyone can send those, and
    /// each row would lengthen the hash chain (300 in 0.2 s from one address before this).
    /// </summary>
    public static async Task RecordDenialsAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var status = context.Response.StatusCode;
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden) || context.Items.ContainsKey(RecordedKey))
        {
            return;
        }
        if (context.User.Identity?.IsAuthenticated != true)
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            context.RequestServices.GetRequiredService<GatewayMetrics>().RecordUnauthenticated(route);
            return;
        }
        try
        {
            await RecordAsync(context, "access.denied", status);
        }
        catch (ReturnOps.Storage.StorageUnavailableException)
        {
            // The answer is already sent; a denial that cannot be logged is still a denial.
        }
    }

    /// <summary>Appends one row for this request: the caller from its token, the path as the resource.</summary>
    public static Task RecordAsync(HttpContext context, string action, int status)
    {
        context.Items[RecordedKey] = true;
        var note = Note(context, action);
        return context.RequestServices.GetRequiredService<AuditLog>().AppendAsync(note.Subject, note.Role, note.Country, note.Action, note.Resource,
            status.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
    }

    /// <summary>
    /// This request's entry, for a grain that writes it with the change it answers (issue 22: a booking's entry commits in the
    /// booking's batch). Once the grain has answered, <see cref="RecordedByGrain"/> keeps the endpoint from writing it again.
    /// </summary>
    public static AuditNote Note(HttpContext context, string action)
    {
        var user = context.User;
        var resource = context.Request.Method + " " + context.Request.Path.Value;
        return new AuditNote(user.FindFirst("sub")?.Value ?? "anonymous", user.FindFirst("role")?.Value ?? "", user.FindFirst("country")?.Value ?? "",
            action, resource.Length > 300 ? resource[..300] : resource);
    }

    /// <summary>The grain wrote this request's entry with its answer (a refusal, thrown, is still recorded by the endpoint).</summary>
    public static void RecordedByGrain(HttpContext context) => context.Items[RecordedKey] = true;
}
