namespace ReturnOps.Grains.Agreements;

/// <summary>The agreements grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReadmissionAgreementsState")]
public sealed class ReadmissionAgreementsState
{
    [Id(0)]
    public SortedDictionary<string, ReadmissionClock> Clocks { get; set; } = new(StringComparer.Ordinal);
}
