namespace ReturnOps.Grains.Reintegration;

/// <summary>A referral grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReintegrationReferralState")]
public sealed class ReintegrationReferralState
{
    [Id(0)]
    public ReferralView? Referral { get; set; }
}
