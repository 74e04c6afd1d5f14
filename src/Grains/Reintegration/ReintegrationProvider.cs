namespace ReturnOps.Grains.Reintegration;

/// <summary>
/// A reintegration service provider of a destination country (rule 18): data, not code. Its tokens carry
/// <see cref="Id"/> in the <c>provider</c> claim, and it sees only the referrals addressed to it.
/// </summary>
/// <param name="Id">Lower-case letters, digits and dashes, e.g. <c>al-tirana-reintegration</c>.</param>
/// <param name="Country">The destination it serves (ISO 3166 alpha-2).</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReintegrationProvider")]
public sealed record ReintegrationProvider(
    [property: Id(0)] string Id,
    [property: Id(1)] string Country,
    [property: Id(2)] string Name);
