using System.Text.RegularExpressions;

namespace ReturnOps.Silo.Messaging.Subscriptions;

/// <summary>
/// The event types a subscription wants. A pattern is an exact type (<c>booking.confirmed</c>), a prefix
/// ending in <c>.*</c> (<c>booking.*</c> matches <c>booking.confirmed</c>, not <c>booking</c>), or <c>*</c>.
/// </summary>
public sealed partial class EventFilter
{
    private EventFilter(IReadOnlyList<string> patterns) => Patterns = patterns;

    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Validates and normalizes; null when any pattern is malformed or none is given.</summary>
    public static EventFilter? TryCreate(IEnumerable<string>? patterns)
    {
        var list = patterns?.Select(p => p.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
        return list.Count > 0 && list.All(p => PatternSyntax().IsMatch(p)) ? new EventFilter(list) : null;
    }

    /// <summary>Reads the stored form, space-separated patterns.</summary>
    public static EventFilter Parse(string stored) =>
        TryCreate(stored.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        ?? throw new FormatException($"Stored event filter '{stored}' is malformed.");

    public string ToStored() => string.Join(' ', Patterns);

    public bool Matches(string type) => Patterns.Any(p =>
        p == "*"
        || p == type
        || (p.EndsWith(".*", StringComparison.Ordinal) && type.Length > p.Length - 1 && type.StartsWith(p[..^1], StringComparison.Ordinal)));

    [GeneratedRegex(@"^(\*|[a-z0-9_-]+(\.[a-z0-9_-]+)*(\.\*)?)$")]
    private static partial Regex PatternSyntax();
}
