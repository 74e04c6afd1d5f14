using ReturnOps.Grains.Agreements;

namespace ReturnOps.Grains.Identification;

/// <summary>An identification request grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.IdentificationRequestState")]
public sealed class IdentificationRequestState
{
    [Id(0)]
    public IdentificationRequestView? Request { get; set; }

    /// <summary>The terms at submission: a later change of the agreement does not move a running clock.</summary>
    [Id(1)]
    public IdentificationClock? Clock { get; set; }

    /// <summary>The case was erased: what the request recorded about the person is gone and no step is taken any more.</summary>
    [Id(2)]
    public bool Erased { get; set; }
}
