namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// The languages the public form is offered in: those of the people returned on these operations (FRO observations 2022). The
/// page's catalogues (<c>wwwroot/i18n/complaint.{code}.json</c>) are one per code here; a test keeps the two lists equal.
/// </summary>
public static class ComplaintLanguages
{
    public const int MaxCodeLength = 2;

    /// <summary>English, French, Arabic, Albanian, Serbian, Urdu.</summary>
    public static IReadOnlyList<string> All { get; } = ["en", "fr", "ar", "sq", "sr", "ur"];

    /// <summary>Written right to left: the page sets <c>dir="rtl"</c> for these.</summary>
    public static IReadOnlyList<string> RightToLeft { get; } = ["ar", "ur"];
}
