using ReturnOps.Grains.Identification;

namespace ReturnOps.Grains.Tests.Identification;

/// <summary>
/// Rule 17 told from the outside, for the property test: which answer a request takes next and where it leads, and what the
/// case's erasure does to it (rule 15), so that an answer wrongly refused (or wrongly taken) by the grain shows.
/// </summary>
internal sealed class IdentificationModel(int minimumValidityMonths)
{
    public IdentificationStatus Status { get; private set; } = IdentificationStatus.AwaitingIdentity;

    public bool Erased { get; private set; }

    /// <summary>Whether <paramref name="kind"/> is taken: by the destination's partner for its answers, by the owner for a re-issue.</summary>
    public bool Accepts(string kind, bool byTheDestination, int validMonths) => kind switch
    {
        "confirm" or "refuse" => byTheDestination && Status == IdentificationStatus.AwaitingIdentity,
        "issue" => byTheDestination && Status == IdentificationStatus.AwaitingDocument && validMonths >= minimumValidityMonths,
        "reissue" => Status == IdentificationStatus.DocumentIssued && !Erased,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an answer."),
    };

    /// <summary>Records a step taken: an accepted answer, or the case's erasure, which withdraws an open request.</summary>
    public void Record(string kind)
    {
        Status = kind switch
        {
            "confirm" or "reissue" => IdentificationStatus.AwaitingDocument,
            "refuse" => IdentificationStatus.Refused,
            "issue" => IdentificationStatus.DocumentIssued,
            "erase" when Status is IdentificationStatus.AwaitingIdentity or IdentificationStatus.AwaitingDocument => IdentificationStatus.Withdrawn,
            _ => Status,
        };
        Erased |= kind == "erase";
    }
}
