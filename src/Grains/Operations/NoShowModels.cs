using System.Text.Json.Serialization;

namespace ReturnOps.Grains.Operations;

/// <summary>Why a returnee on the final manifest did not board.</summary>
[GenerateSerializer]
[Alias("ReturnOps.NoShowReason")]
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
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.NoShowView")]
public sealed record NoShowView(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] string BookingId,
    [property: Id(2)] string Country,
    [property: Id(3)] NoShowReason Reason,
    [property: Id(4)] DateTimeOffset RecordedAt);

/// <summary>Stored with the operation: the returnee id goes at retention, the country and reason stay as a count.</summary>
[GenerateSerializer]
[Alias("ReturnOps.NoShowRecord")]
public sealed class NoShowRecord
{
    [Id(0)]
    public string ReturneeId { get; set; } = "";

    [Id(1)]
    public string BookingId { get; set; } = "";

    [Id(2)]
    public string Country { get; set; } = "";

    [Id(3)]
    public NoShowReason Reason { get; set; }

    [Id(4)]
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>
    /// Who did not board, as the return statistics count them (citizenship, destination, forced): the person left the booking's
    /// list, and the statistics keep a zero for that group rather than a stale count (<see cref="ReadModels.ReturnCounts"/>).
    /// </summary>
    [Id(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BookedReturnee? Returnee { get; set; }
}
