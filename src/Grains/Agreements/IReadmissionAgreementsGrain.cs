using Orleans.Concurrency;

namespace ReturnOps.Grains.Agreements;

/// <summary>Every readmission agreement's clocks, one grain (key <see cref="Key"/>): tens of rows, read per request.</summary>
[Alias("ReturnOps.IReadmissionAgreementsGrain")]
public interface IReadmissionAgreementsGrain : IGrainWithStringKey
{
    public const string Key = "jcp";

    /// <summary>Creates or replaces the clocks for a destination (admin).</summary>
    [Alias("Put")]
    Task<ReadmissionClock> Put(ReadmissionClock clock);

    /// <summary>The clocks for a destination, or null when there is no agreement.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<ReadmissionClock?> Get(string destination);

    /// <summary>Every agreement, ordered by destination.</summary>
    [ReadOnly]
    [Alias("List")]
    Task<IReadOnlyList<ReadmissionClock>> List();
}
