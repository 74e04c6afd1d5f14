namespace ReturnOps.Grains.Operations;

/// <summary>Why a returnee on the final manifest did not board.</summary>
public enum NoShowReason
{
    Absconded,
    Medical,
    Resistance,

    /// <summary>A last-minute court order (e.g. an appeal granted suspensive effect on the day).</summary>
    LegalStay,
    Other,
}

/// <summary>A recorded no-show. <see cref="ReturneeId"/> is empty once retention erased the operation's personal data.</summary>
public sealed record NoShowView(string ReturneeId, string BookingId, string Country, NoShowReason Reason, DateTimeOffset RecordedAt);

/// <summary>Stored with the operation: the returnee id goes at retention, the country and reason stay as a count.</summary>
public sealed class NoShowRecord
{
    public string ReturneeId { get; set; } = "";
    public string BookingId { get; set; } = "";
    public string Country { get; set; } = "";
    public NoShowReason Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
