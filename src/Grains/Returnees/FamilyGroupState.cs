namespace ReturnOps.Grains.Returnees;

/// <summary>A family group grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.FamilyGroupState")]
public sealed class FamilyGroupState
{
    [Id(0)]
    public SortedSet<string> Members { get; set; } = new(StringComparer.Ordinal);
}
