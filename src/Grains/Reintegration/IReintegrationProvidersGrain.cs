using Orleans.Concurrency;

namespace ReturnOps.Grains.Reintegration;

/// <summary>Every reintegration service provider, one grain (key <see cref="Key"/>): tens of rows, read per referral.</summary>
[Alias("ReturnOps.IReintegrationProvidersGrain")]
public interface IReintegrationProvidersGrain : IGrainWithStringKey
{
    public const string Key = "jcp";

    /// <summary>Creates or replaces a provider (admin).</summary>
    [Alias("Put")]
    Task<ReintegrationProvider> Put(ReintegrationProvider provider);

    /// <summary>The provider, or null.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<ReintegrationProvider?> Get(string id);

    /// <summary>Every provider, ordered by country and id.</summary>
    [ReadOnly]
    [Alias("List")]
    Task<IReadOnlyList<ReintegrationProvider>> List();
}
