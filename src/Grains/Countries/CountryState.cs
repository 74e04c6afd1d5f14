namespace ReturnOps.Grains.Countries;

/// <summary>A country grain's stored state (JSON through <see cref="GrainsJsonContext"/>: property names are the stored shape).</summary>
[GenerateSerializer]
[Alias("ReturnOps.CountryState")]
public sealed class CountryState
{
    [Id(0)]
    public Country? Country { get; set; }
}
