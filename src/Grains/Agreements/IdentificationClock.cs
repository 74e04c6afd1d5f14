using System.ComponentModel.DataAnnotations;

namespace ReturnOps.Grains.Agreements;

/// <summary>
/// The identification and travel-document terms of one agreement or arrangement (rule 17), configurable data.
/// </summary>
/// <param name="ReplyDays">Calendar days the destination has to confirm or refuse identity and nationality.</param>
/// <param name="IssueDays">Calendar days, after confirmation, to issue or accept the travel document ("without delay").</param>
/// <param name="MinimumValidityMonths">
/// Months a document must be valid for, counted from the day it is recorded as issued (the departure is checked
/// separately by rule 6, on the day of departure).
/// </param>
/// <param name="ReissueDays">Days to issue a new document when the transfer slips (EU agreements: 14, at most 30).</param>
/// <param name="AcceptsEuTravelDocument">The destination accepts the European travel document for return (Reg. 2016/1953).</param>
/// <param name="ThroughEmbassy">Identification runs through the destination's embassy, not a central authority (rule 20).</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.IdentificationClock")]
public sealed record IdentificationClock(
    [property: Id(0), Range(1, IdentificationClock.MaxClockDays)] int ReplyDays,
    [property: Id(1), Range(1, IdentificationClock.MaxClockDays)] int IssueDays,
    [property: Id(2), Range(0, IdentificationClock.MaxValidityMonths)] int MinimumValidityMonths,
    [property: Id(3), Range(1, IdentificationClock.MaxReissueDays)] int ReissueDays,
    [property: Id(4)] bool AcceptsEuTravelDocument,
    [property: Id(5)] bool ThroughEmbassy)
{
    /// <summary>The most a re-issue may take (EU–Sri Lanka: 14 days, at most 30).</summary>
    public const int MaxReissueDays = 30;

    /// <summary>The longest any clock of an agreement may run, in days: their terms are weeks; a year bounds a typing error.</summary>
    public const int MaxClockDays = 365;

    /// <summary>The longest validity an agreement may demand of a travel document.</summary>
    public const int MaxValidityMonths = 24;

    /// <summary>
    /// Terms of an agreement stored before identification existed: the EU agreements' six months' validity and 14 days for
    /// a re-issue; a reply in 30 days and the document 7 days after confirmation stand for "without delay" (a product
    /// assumption); no European travel document unless the agreement's data says so.
    /// </summary>
    public static IdentificationClock EuAgreement { get; } = new(30, 7, 6, 14, AcceptsEuTravelDocument: false, ThroughEmbassy: false);

    /// <summary>The reason the terms are unusable, or null.</summary>
    public string? Invalid() =>
        ReplyDays <= 0 || IssueDays <= 0 ? "Identification reply and issue days must be positive."
        : MinimumValidityMonths is < 0 or > MaxValidityMonths ? $"Minimum validity is 0 to {MaxValidityMonths} months."
        : ReissueDays is <= 0 or > MaxReissueDays ? $"A re-issue takes 1 to {MaxReissueDays} days."
        : null;
}
