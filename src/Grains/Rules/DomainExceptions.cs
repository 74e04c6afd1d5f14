namespace ReturnOps.Grains.Rules;

/// <summary>
/// A request broke a business rule; nothing was changed. Grain exceptions reach the caller unchanged,
/// so the gateway maps <see cref="Rule"/> to a problem response (409 or 422, see <see cref="RuleCode.IsConflict"/>).
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.DomainRuleException")]
public sealed class DomainRuleException : RefusalException
{
    public DomainRuleException(string rule, string message) : this([new RuleViolation(rule, message)])
    {
    }

    public DomainRuleException(IReadOnlyList<RuleViolation> violations)
        : base(violations.Count > 0 ? violations[0].Detail : "A rule was broken.")
    {
        Violations = violations.Count > 0 ? violations : throw new ArgumentException("At least one violation is needed.", nameof(violations));
    }

    public DomainRuleException() : this(RuleCode.Validation, "A rule was broken.")
    {
    }

    public DomainRuleException(string message) : this(RuleCode.Validation, message)
    {
    }

    public DomainRuleException(string message, Exception innerException) : base(message, innerException)
    {
        Violations = [new RuleViolation(RuleCode.Validation, message)];
    }

    /// <summary>The first broken rule: the one the problem response names.</summary>
    public string Rule => Violations[0].Rule;

    /// <summary>Every rule the request broke, for the problem response's details.</summary>
    [Id(0)]
    public IReadOnlyList<RuleViolation> Violations { get; }
}

/// <summary>The resource does not exist or the caller may not see it (404: no existence leaks).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ResourceNotFoundException")]
public sealed class ResourceNotFoundException : RefusalException
{
    public ResourceNotFoundException() : base("Not found.")
    {
    }

    public ResourceNotFoundException(string message) : base(message)
    {
    }

    public ResourceNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The caller's role may not do this at all (403), e.g. the secretariat asking for a manifest.</summary>
[GenerateSerializer]
[Alias("ReturnOps.AccessDeniedException")]
public sealed class AccessDeniedException : RefusalException
{
    public AccessDeniedException() : base("Access denied.")
    {
    }

    public AccessDeniedException(string message) : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// The caller's precondition (If-Match: the version it read) no longer holds: the resource changed since (412).
/// Checked inside the grain's turn, before anything is changed, so two writers with the same version cannot both pass.
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.PreconditionFailedException")]
public sealed class PreconditionFailedException : RefusalException
{
    public PreconditionFailedException() : base("The resource changed since it was read.")
    {
    }

    public PreconditionFailedException(string message) : base(message)
    {
    }

    public PreconditionFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
