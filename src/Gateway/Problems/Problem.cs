using System.Text.Json.Serialization;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Problems;

/// <summary>An RFC 9457 problem document; <see cref="Rule"/> names the broken business rule, if any.</summary>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rule = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RuleViolation>? Violations = null)
{
    public const string ContentType = "application/problem+json";

    /// <summary>Seconds a client should wait before retrying a 503 or 429.</summary>
    [JsonIgnore]
    public int? RetryAfterSeconds { get; init; }
}

/// <summary>A gateway-side check of the request failed; mapped like every other error, by <see cref="ProblemMapper"/>.</summary>
/// <param name="cause">What made the check fail, for the log; the answer shows only <paramref name="detail"/>.</param>
public sealed class RequestProblemException(int status, string detail, Exception? cause = null) : Exception(detail, cause)
{
    public int Status { get; } = status;

    public static RequestProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static RequestProblemException PreconditionFailed(string detail) => new(StatusCodes.Status412PreconditionFailed, detail);
}
