using System.Text.Json.Serialization;

namespace ReturnOps.Grains.Returnees;

/// <summary>A returnee grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReturneeState")]
public sealed class ReturneeState
{
    [Id(0)]
    public string? Owner { get; set; }

    /// <summary>
    /// The hold row as read with the state (<see cref="ReturneeStateStorage"/>), not part of the state's JSON: the operation
    /// writes it. The grain takes it on activation and keeps its own from then on.
    /// </summary>
    [Id(23)]
    [JsonIgnore]
    public ReturneeHolds.Hold? StoredHold { get; set; }

    [Id(1)]
    public ReturneeCase? Case { get; set; }

    /// <summary>
    /// Where holds were kept before issue 22; now the operation stores them as rows (<see cref="ReturneeHolds"/>). Read only by
    /// the migration that copied them there, and cleared by the returnee's next write.
    /// </summary>
    [Id(2)]
    public BookingRef? Booking { get; set; }

    /// <summary>What a hold kept before issue 22 was judged against; the hold row keeps it now (see <see cref="Booking"/>).</summary>
    [Id(3)]
    public EligibilityContext? BookedFor { get; set; }

    [Id(4)]
    public Dictionary<string, string> Readmission { get; set; } = new(StringComparer.Ordinal);

    [Id(5)]
    public bool Erased { get; set; }

    /// <summary>Consent to a reintegration referral (rule 18). Ids from 20 leave room for the case's other concerns.</summary>
    [Id(20)]
    public Reintegration.ReintegrationConsent? Consent { get; set; }

    /// <summary>The case's reintegration referrals, oldest first.</summary>
    [Id(21)]
    public List<string> Referrals { get; set; } = [];

    /// <summary>The case's identification requests (rule 17), so that erasing the case reaches the document they recorded.</summary>
    [Id(22)]
    public List<string> IdentificationRequests { get; set; } = [];

    /// <summary>Legal holds on the case (rule 22), lifted ones kept as the record of who lifted them and why; oldest first.</summary>
    [Id(24)]
    public List<LegalHold> LegalHolds { get; set; } = [];
}
