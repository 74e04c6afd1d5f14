using ReturnOps.Grains.Agreements;

namespace ReturnOps.Grains.Readmission;

/// <summary>A readmission request grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReadmissionRequestState")]
public sealed class ReadmissionRequestState
{
    [Id(0)]
    public ReadmissionRequestView? Request { get; set; }

    [Id(1)]
    public ReadmissionClock? Clock { get; set; }
}
