namespace ReturnOps.Grains.Countries;

/// <summary>The country directory's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.CountryDirectoryState")]
public sealed class CountryDirectoryState
{
    [Id(0)]
    public SortedDictionary<string, Country> Countries { get; set; } = new(StringComparer.Ordinal);
}
