namespace ReturnOps.Grains.Rules;

/// <summary>One broken rule: its code (see <see cref="RuleCode"/>) and a sentence for people.</summary>
public sealed record RuleViolation(string Rule, string Detail);
