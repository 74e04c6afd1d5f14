namespace ReturnOps.Grains.Readmission;

[GenerateSerializer]
[Alias("ReturnOps.ReadmissionStatus")]
public enum ReadmissionStatus
{
    Pending,
    Accepted,
    Refused,

    /// <summary>No reply by the deadline and the agreement does not count silence as acceptance.</summary>
    Lapsed,
}

/// <summary>A request from the owning state to a destination to readmit one returnee (rule 12).</summary>
/// <param name="SentAt">
/// When the request went to the destination, if before it was recorded here (a request sent through another channel and
/// entered later keeps its running clock); null means now.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReadmissionSubmission")]
public sealed record ReadmissionSubmission(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] string Owner,
    [property: Id(2)] string Destination,
    [property: Id(3)] DateTimeOffset? SentAt = null);

/// <summary>A request as both sides see it; no personal data, only the returnee's opaque id.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReadmissionRequestView")]
public sealed record ReadmissionRequestView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ReturneeId,
    [property: Id(2)] string Owner,
    [property: Id(3)] string Destination,
    [property: Id(4)] ReadmissionStatus Status,
    [property: Id(5)] DateTimeOffset RequestedAt,
    [property: Id(6)] DateTimeOffset ReplyDueBy,
    [property: Id(7)] bool Extended,
    [property: Id(8)] bool AcceptedBySilence,
    [property: Id(9)] string? Reason,
    [property: Id(10)] DateTimeOffset? TransferBy);
