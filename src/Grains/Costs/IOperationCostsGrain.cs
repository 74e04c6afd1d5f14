using Orleans.Concurrency;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Costs;

/// <summary>
/// Rule 19: one operation's costs and co-financing, keyed by the operation's id. The organiser records and corrects them
/// until the operation ends (Completed or Cancelled); the shares follow the seats the operation reports (<see cref="CostBasis"/>).
/// </summary>
[Alias("ReturnOps.IOperationCostsGrain")]
public interface IOperationCostsGrain : IGrainWithStringKey
{
    /// <summary>The cost record, for the organiser and the secretariat.</summary>
    [ReadOnly]
    [Alias("GetCosts")]
    Task<CostsView> GetCosts(Caller caller);

    /// <summary>Adds a cost line under <paramref name="lineId"/>; the same line again (a retry) changes nothing.</summary>
    /// <param name="expectedVersion">The version the caller read (If-Match); checked in this turn. Null: no precondition.</param>
    [Alias("RecordCost")]
    Task<CostsView> RecordCost(Caller caller, string lineId, CostLineEntry entry, long? expectedVersion = null);

    /// <summary>Replaces a cost line (a correction), keeping its id.</summary>
    [Alias("CorrectCost")]
    Task<CostsView> CorrectCost(Caller caller, string lineId, CostLineEntry entry, long? expectedVersion = null);

    /// <summary>Adds co-financing under <paramref name="lineId"/>; never more than the costs.</summary>
    [Alias("RecordCoFinancing")]
    Task<CostsView> RecordCoFinancing(Caller caller, string lineId, CoFinancingEntry entry, long? expectedVersion = null);

    /// <summary>Replaces a co-financing line (a correction), keeping its id.</summary>
    [Alias("CorrectCoFinancing")]
    Task<CostsView> CorrectCoFinancing(Caller caller, string lineId, CoFinancingEntry entry, long? expectedVersion = null);

    /// <summary>Removes a cost or co-financing line; one already gone is not found.</summary>
    [Alias("RemoveLine")]
    Task<CostsView> RemoveLine(Caller caller, string lineId, long? expectedVersion = null);

    /// <summary>
    /// The statement: the caller's own state's share for a coordinator (or <paramref name="country"/> if it is its own), every
    /// state's or <paramref name="country"/>'s for the secretariat. A state without a share has no statement (not found).
    /// </summary>
    [ReadOnly]
    [Alias("GetStatement")]
    Task<CostStatement> GetStatement(Caller caller, string? country = null);
}
