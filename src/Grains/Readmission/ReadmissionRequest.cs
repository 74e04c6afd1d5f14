namespace ReturnOps.Grains.Readmission;

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
public sealed record ReadmissionSubmission(string ReturneeId, string Owner, string Destination, DateTimeOffset? SentAt = null);

/// <summary>A request as both sides see it; no personal data, only the returnee's opaque id.</summary>
public sealed record ReadmissionRequestView(
    string Id,
    string ReturneeId,
    string Owner,
    string Destination,
    ReadmissionStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset ReplyDueBy,
    bool Extended,
    bool AcceptedBySilence,
    string? Reason,
    DateTimeOffset? TransferBy);
