using System.Net;

namespace ReturnOps.Client.Problems;

/// <summary>
/// The gateway refused a call with an RFC 9457 problem. <see cref="Rule"/> is the broken business rule's code (api.md's rule
/// codes, e.g. <c>capacity</c>, <c>family-unity</c>, <c>destination-of-return</c>) when a rule refused, so a system can act on
/// it without parsing sentences; <see cref="Violations"/> lists every rule when several were broken.
/// </summary>
public sealed class ReturnOpsProblemException(
    HttpStatusCode status, string type, string title, string? detail, string? rule, IReadOnlyList<RuleViolation> violations, TimeSpan? retryAfter)
    : Exception($"{(int)status} {title}{(rule is null ? "" : $" ({rule})")}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary><c>urn:returnops:problem:</c> and the rule code or the status's name.</summary>
    public string Type { get; } = type;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    public string? Rule { get; } = rule;

    public IReadOnlyList<RuleViolation> Violations { get; } = violations;

    /// <summary>The gateway's Retry-After on a 429 or 503 that outlasted the client's own retries.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>True when this rule, alone or among several, refused the call.</summary>
    public bool Broke(string rule) => Rule == rule || Violations.Any(v => v.Rule == rule);
}
