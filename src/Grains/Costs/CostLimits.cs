namespace ReturnOps.Grains.Costs;

/// <summary>
/// Bounds of one operation's cost record (docs/security.md): far above practice, far below what a sum could overflow.
/// A JRO's charter costs some EUR 100,000-500,000 (Frontex budget lines); one line above EUR 100 million is a typing slip.
/// </summary>
public static class CostLimits
{
    /// <summary>The largest amount of one line, in euros.</summary>
    public const decimal MaxAmount = 100_000_000m;

    /// <summary>Cost lines plus co-financing lines of one operation.</summary>
    public const int MaxLines = 200;

    public const int MaxDescription = 500;

    public const int MaxSource = 100;

    /// <summary>No control character (Cc) and no invisible format character (Cf, e.g. U+200B) in a cost text.</summary>
    public static bool IsPlainText(string text) =>
        !text.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
}
