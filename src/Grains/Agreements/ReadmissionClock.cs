namespace ReturnOps.Grains.Agreements;

/// <summary>
/// The clocks of one readmission agreement (rule 12), configurable data.
/// </summary>
/// <param name="Destination">ISO code of the requested state.</param>
/// <param name="ReplyDays">Calendar days the requested state has to reply.</param>
/// <param name="ExtensionDays">Extra days granted once on request (0: none).</param>
/// <param name="SilenceMeansAcceptance">No reply by the deadline counts as acceptance.</param>
/// <param name="TransferDays">Days to carry out the transfer after acceptance.</param>
public sealed record ReadmissionClock(string Destination, int ReplyDays, int ExtensionDays, bool SilenceMeansAcceptance, int TransferDays);
