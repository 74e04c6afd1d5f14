namespace ReturnOps.Grains.Reintegration;

/// <summary>The provider directory's stored state (JSON through <see cref="GrainsJsonContext"/>).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReintegrationProvidersState")]
public sealed class ReintegrationProvidersState
{
    [Id(0)]
    public Dictionary<string, ReintegrationProvider> Providers { get; set; } = new(StringComparer.Ordinal);
}
