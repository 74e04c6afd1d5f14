using System.Data.Common;
using System.Text.Json;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;
using ReturnOps.Grains.Rules;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Problems;

/// <summary>
/// The one place that turns a failure into a problem document. Client mistakes get their 4xx; anything
/// storage-related is a 503 with Retry-After; only a bug is a 500, and it never shows a stack trace.
/// </summary>
public static class ProblemMapper
{
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// Retry-After of a 503 that the next attempt can pass at once: a grain call that met a dying silo (it timed out, was
    /// rejected, or expired waiting for placement) or a version conflict. The cluster moves the grain within a second or so
    /// (docs/reliability.md); asking for 5 s there made a booking caught by a silo's death wait 12 s instead of under 5.
    /// </summary>
    public const int FailoverRetryAfterSeconds = 1;

    public static Problem ForStatus(int status, string? detail = null, string? rule = null) => new(
        "urn:returnops:problem:" + (rule ?? Slug(status)),
        Title(status),
        status,
        detail ?? DefaultDetail(status),
        rule)
    {
        RetryAfterSeconds = status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests ? RetryAfterSeconds : null,
    };

    public static Problem ForException(Exception exception) => exception switch
    {
        DomainRuleException rule => ForStatus(RuleCode.IsConflict(rule.Rule) ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
            rule.Message, rule.Rule) with { Violations = rule.Violations.Count > 1 ? rule.Violations : null },
        ResourceNotFoundException => ForStatus(StatusCodes.Status404NotFound),
        AccessDeniedException denied => ForStatus(StatusCodes.Status403Forbidden, denied.Message),
        PreconditionFailedException stale => ForStatus(StatusCodes.Status412PreconditionFailed, stale.Message),
        SubscriptionRejectedException rejected => ForStatus(StatusCodes.Status422UnprocessableEntity, rejected.Message, rejected.Code),
        RequestProblemException problem => ForStatus(problem.Status, problem.Message),
        BadHttpRequestException bad => ForStatus(bad.StatusCode, BadRequestDetail(bad)),
        JsonException json => ForStatus(StatusCodes.Status400BadRequest, JsonDetail(json)),
        _ when IsStorageFailure(exception) => ForStatus(StatusCodes.Status503ServiceUnavailable),
        _ when IsFailover(exception) => ForStatus(StatusCodes.Status503ServiceUnavailable) with { RetryAfterSeconds = FailoverRetryAfterSeconds },
        _ => ForStatus(StatusCodes.Status500InternalServerError),
    };

    /// <summary>
    /// Failures that change nothing and may pass, the database's: unreachable (Orleans wraps a grain storage failure in an
    /// <see cref="OrleansException"/>, so the cause may be inner). Its outage lasts as long as it lasts: clients wait 5 s.
    /// </summary>
    private static bool IsStorageFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageUnavailableException or DbException || IsRemoteStorageFailure(e))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Failures that change nothing and may pass at once: a version conflict that survived the client's one replay, a call
    /// that timed out or found no silo or gateway to take it, or that Orleans cancelled because its message expired before
    /// placement (a silo died with it queued; seen in the failure drill). A cancellation because the HTTP client went away
    /// is answered to no one.
    /// </summary>
    private static bool IsFailover(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is InconsistentStateException or TimeoutException or OrleansMessageRejectionException or GatewayTooBusyException
                or ConnectionFailedException or OperationCanceledException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A silo's storage failure whose type this process's serializer could not rebuild: known only by name.</summary>
    private static bool IsRemoteStorageFailure(Exception exception) =>
        exception is UnavailableExceptionFallbackException { ExceptionType: { } type }
        && type.StartsWith(typeof(StorageUnavailableException).FullName!, StringComparison.Ordinal);

    private static string BadRequestDetail(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => DefaultDetail(StatusCodes.Status413PayloadTooLarge),
        StatusCodes.Status415UnsupportedMediaType => DefaultDetail(StatusCodes.Status415UnsupportedMediaType),
        _ when bad.InnerException is JsonException json => JsonDetail(json),
        // Minimal API binding messages name the parameter and the value, never code: safe to show.
        _ => bad.Message,
    };

    /// <summary>Says where the body went wrong, without echoing .NET type names.</summary>
    private static string JsonDetail(JsonException json) =>
        "The request body is not valid JSON for this resource" + (json.Path is { Length: > 0 } path ? " (at " + path + ")." : ".");

    private static string Slug(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        412 => "precondition-failed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "validation",
        428 => "precondition-required",
        429 => "rate-limited",
        503 => "unavailable",
        _ => "http-" + status,
    };

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition failed",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable content",
        429 => "Too many requests",
        503 => "Service unavailable",
        500 => "Internal server error",
        _ => "HTTP " + status,
    };

    private static string DefaultDetail(int status) => status switch
    {
        400 => "The request is malformed.",
        401 => "A valid bearer token is required.",
        403 => "Your role may not do this.",
        404 => "The resource does not exist or is not visible to you.",
        405 => "This method is not allowed on this resource.",
        409 => "The resource is not in a state that allows this.",
        412 => "The resource changed since you read it (If-Match does not match its ETag).",
        413 => "The request body is larger than the limit.",
        415 => "The request body must be JSON (application/json).",
        429 => "Too many requests; retry later.",
        503 => "Storage is unavailable; retry later.",
        500 => "An unexpected error occurred.",
        _ => "The request failed.",
    };
}
