namespace ReturnOps.Grains.Agreements;

/// <summary>
/// The clocks of one readmission agreement or practical arrangement (rules 12, 17 and 20), configurable data.
/// </summary>
/// <param name="Destination">ISO code of the requested state.</param>
/// <param name="ReplyDays">Calendar days the requested state has to reply.</param>
/// <param name="ExtensionDays">Extra days granted once on request (0: none).</param>
/// <param name="SilenceMeansAcceptance">No reply by the deadline counts as acceptance (never under an arrangement).</param>
/// <param name="TransferDays">Days to carry out the transfer after acceptance.</param>
/// <param name="Basis">An agreement or a practical arrangement; rows stored before rule 20 are agreements.</param>
/// <param name="Identification">Identification and travel-document terms; null (rows stored before rule 17): <see cref="IdentificationClock.EuAgreement"/>.</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReadmissionClock")]
public sealed record ReadmissionClock(
    [property: Id(0)] string Destination,
    [property: Id(1)] int ReplyDays,
    [property: Id(2)] int ExtensionDays,
    [property: Id(3)] bool SilenceMeansAcceptance,
    [property: Id(4)] int TransferDays,
    [property: Id(5)] PartnerBasis Basis = PartnerBasis.Agreement,
    [property: Id(6)] IdentificationClock? Identification = null)
{
    /// <summary>The identification terms in force (not stored: derived).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IdentificationClock IdentificationTerms => Identification ?? IdentificationClock.EuAgreement;
}
