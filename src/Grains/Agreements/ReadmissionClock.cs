namespace ReturnOps.Grains.Agreements;

/// <summary>
/// The clocks of one readmission agreement (rule 12), configurable data.
/// </summary>
/// <param name="Destination">ISO code of the requested state.</param>
/// <param name="ReplyDays">Calendar days the requested state has to reply.</param>
/// <param name="ExtensionDays">Extra days granted once on request (0: none).</param>
/// <param name="SilenceMeansAcceptance">No reply by the deadline counts as acceptance.</param>
/// <param name="TransferDays">Days to carry out the transfer after acceptance.</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReadmissionClock")]
public sealed record ReadmissionClock(
    [property: Id(0)] string Destination,
    [property: Id(1)] int ReplyDays,
    [property: Id(2)] int ExtensionDays,
    [property: Id(3)] bool SilenceMeansAcceptance,
    [property: Id(4)] int TransferDays);
