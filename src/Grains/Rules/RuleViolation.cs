namespace ReturnOps.Grains.Rules;

/// <summary>One broken rule: its code (see <see cref="RuleCode"/>) and a sentence for people.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.RuleViolation")]
public sealed record RuleViolation(
    [property: Id(0)] string Rule,
    [property: Id(1)] string Detail);
