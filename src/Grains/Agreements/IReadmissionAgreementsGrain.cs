using ReturnOps.Runtime;

namespace ReturnOps.Grains.Agreements;

/// <summary>Every readmission agreement's clocks, one grain (key <see cref="Key"/>): tens of rows, read per request.</summary>
public interface IReadmissionAgreementsGrain : IGrainWithStringKey
{
    public const string Key = "jcp";

    /// <summary>Creates or replaces the clocks for a destination (admin).</summary>
    Task<ReadmissionClock> Put(ReadmissionClock clock);

    /// <summary>The clocks for a destination, or null when there is no agreement.</summary>
    [ReadOnly]
    Task<ReadmissionClock?> Get(string destination);

    /// <summary>Every agreement, ordered by destination.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ReadmissionClock>> List();
}
