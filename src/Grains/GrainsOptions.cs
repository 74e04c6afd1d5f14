namespace ReturnOps.Grains;

/// <summary>Domain settings that are configuration, not code (rules 5 and 15).</summary>
public sealed class GrainsOptions
{
    /// <summary>Assumed default: domain.md asks for a configurable window without a figure.</summary>
    public const int DefaultFitToTravelWindowDays = 7;

    /// <summary>Former Frontex rule: personal data erased no later than 10 days after the operation.</summary>
    public const int DefaultRetentionDays = 10;

    /// <summary>A fit-to-travel record must be dated at most this many days before departure.</summary>
    public int FitToTravelWindowDays { get; set; } = DefaultFitToTravelWindowDays;

    /// <summary>Days after an operation ends (completed or cancelled) until its returnees' personal data is erased.</summary>
    public int RetentionDays { get; set; } = DefaultRetentionDays;
}
