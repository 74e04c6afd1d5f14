namespace ReturnOps.Grains.Identification;

/// <summary>Where an identification request stands (rule 17). Silence never moves it: a missed deadline only makes it overdue.</summary>
[GenerateSerializer]
[Alias("ReturnOps.IdentificationStatus")]
public enum IdentificationStatus
{
    /// <summary>Sent; the destination has to confirm or refuse identity and nationality.</summary>
    AwaitingIdentity,

    /// <summary>Identity and nationality confirmed; the destination has to issue or accept a travel document.</summary>
    AwaitingDocument,

    /// <summary>The destination refused identity or nationality.</summary>
    Refused,

    /// <summary>A travel document was issued or accepted and recorded on the case.</summary>
    DocumentIssued,

    /// <summary>The case was erased (rule 15) while the request was open: the destination has nothing left to answer.</summary>
    Withdrawn,
}

/// <summary>Why a destination refuses an identification, coded so that owning states can count and act on it.</summary>
[GenerateSerializer]
[Alias("ReturnOps.IdentificationRefusal")]
public enum IdentificationRefusal
{
    NotANational,
    IdentityNotEstablished,
    InsufficientEvidence,
    Other,
}

/// <summary>The kinds of travel document a destination issues or accepts for return.</summary>
[GenerateSerializer]
[Alias("ReturnOps.TravelDocumentKind")]
public enum TravelDocumentKind
{
    /// <summary>A national emergency travel document (laissez-passer) of the destination.</summary>
    EmergencyTravelDocument,

    Passport,

    /// <summary>The European travel document for return (Reg. 2016/1953); only where the agreement or arrangement accepts it.</summary>
    EuTravelDocumentForReturn,
}

/// <summary>A travel document as the destination issued or accepted it.</summary>
/// <param name="IssuedAt">When it was recorded (domain clock); its minimum validity counts from that day.</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.IssuedTravelDocument")]
public sealed record IssuedTravelDocument(
    [property: Id(0)] TravelDocumentKind Kind,
    [property: Id(1)] string Number,
    [property: Id(2)] DateOnly ValidFrom,
    [property: Id(3)] DateOnly ValidUntil,
    [property: Id(4)] DateTimeOffset IssuedAt);

/// <summary>A new identification request of the owning state about one of its returnees.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.IdentificationSubmission")]
public sealed record IdentificationSubmission(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] string Owner,
    [property: Id(2)] string Destination);

/// <summary>
/// A request as both sides see it: the returnee only by opaque id (the gateway adds what the destination needs to
/// identify the person), the document once issued.
/// </summary>
/// <param name="DueBy">The deadline of the current step: the reply while awaiting identity, the document while awaiting it.</param>
/// <param name="Overdue">The current step's deadline passed with no answer; cleared by the answer.</param>
/// <param name="Reissues">How many times the owning state asked for a new document because the transfer slipped.</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.IdentificationRequestView")]
public sealed record IdentificationRequestView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ReturneeId,
    [property: Id(2)] string Owner,
    [property: Id(3)] string Destination,
    [property: Id(4)] IdentificationStatus Status,
    [property: Id(5)] DateTimeOffset RequestedAt,
    [property: Id(6)] DateTimeOffset DueBy,
    [property: Id(7)] bool Overdue,
    [property: Id(8)] bool ThroughEmbassy,
    [property: Id(9)] IdentificationRefusal? RefusalReason,
    [property: Id(10)] string? RefusalText,
    [property: Id(11)] IssuedTravelDocument? Document,
    [property: Id(12)] int Reissues);
