using ReturnOps.Grains.Costs;

namespace ReturnOps.Grains.Operations;

/// <summary>Rule 19, the seats a state pays for (<see cref="ChargeableSeats"/>).</summary>
public sealed partial class ReturnOperationGrain
{
    public Task<CostBasis> GetCostBasis()
    {
        _ = Plan;
        return Task.FromResult(ChargeableSeats.Basis(S));
    }

    /// <summary>Called on every write, before the bookings are compared with what is stored.</summary>
    private void RecordCostSeats() => ChargeableSeats.Record(S);
}
