using ReturnOps.Grains.Operations;

namespace ReturnOps.Grains.Costs;

/// <summary>What an operation's cost line pays for (rule 19): a charter leg, staff travel, medical staff, interpreters or other.</summary>
[GenerateSerializer]
[Alias("ReturnOps.CostCategory")]
public enum CostCategory
{
    Charter,
    StaffTravel,
    Medical,
    Interpreters,
    Other,
}

/// <summary>A cost line as the organiser enters it: a charter line names its leg (IATA codes), the others none.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CostLineEntry")]
public sealed record CostLineEntry(
    [property: Id(0)] CostCategory Category,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Description,
    [property: Id(3)] string? From = null,
    [property: Id(4)] string? To = null);

/// <summary>Co-financing as the organiser enters it: who pays (Frontex, Reg. 2019/1896 Art 48-50, or another fund) and how much.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CoFinancingEntry")]
public sealed record CoFinancingEntry(
    [property: Id(0)] string Source,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string? Description = null);

/// <summary>A recorded cost line; amounts are exact euros with at most two decimals.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CostLine")]
public sealed record CostLine(
    [property: Id(0)] string Id,
    [property: Id(1)] CostCategory Category,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Description,
    [property: Id(4)] string? From,
    [property: Id(5)] string? To,
    [property: Id(6)] DateTimeOffset RecordedAt);

[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CoFinancingLine")]
public sealed record CoFinancingLine(
    [property: Id(0)] string Id,
    [property: Id(1)] string Source,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string? Description,
    [property: Id(4)] DateTimeOffset RecordedAt);

/// <summary>
/// The operation's costs as the organiser and the secretariat read them. <see cref="NetCost"/> is what the states share:
/// the costs less the co-financing, never below zero. <see cref="Final"/>: the operation has ended and nothing changes any more.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CostsView")]
public sealed record CostsView(
    [property: Id(0)] string OperationId,
    [property: Id(1)] string Organiser,
    [property: Id(2)] OperationStatus OperationStatus,
    [property: Id(3)] bool Final,
    [property: Id(4)] string Currency,
    [property: Id(5)] IReadOnlyList<CostLine> Costs,
    [property: Id(6)] IReadOnlyList<CoFinancingLine> CoFinancing,
    [property: Id(7)] decimal TotalCosts,
    [property: Id(8)] decimal TotalCoFinancing,
    [property: Id(9)] decimal NetCost,
    [property: Id(10)] long Version);

/// <summary>One state's seats for cost and its share of the net cost, in euros to the cent.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.StateShare")]
public sealed record StateShare(
    [property: Id(0)] string Country,
    [property: Id(1)] int Seats,
    [property: Id(2)] decimal Share);

/// <summary>
/// Where the seats of a statement come from: <see cref="ConfirmedNow"/> while the operation still takes bookings (an estimate),
/// <see cref="HeldAfterBookingClosed"/> from BookingClosed on (rule 19: held at departure, and held after closing then released).
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.SeatBasis")]
public enum SeatBasis
{
    ConfirmedNow,
    HeldAfterBookingClosed,
}

/// <summary>
/// The cost statement: the operation's costs and co-financing, and the shares the caller may see — its own state's for a
/// coordinator, every state's for the secretariat. Shares add up to <see cref="NetCost"/> to the cent.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CostStatement")]
public sealed record CostStatement(
    [property: Id(0)] string OperationId,
    [property: Id(1)] string Organiser,
    [property: Id(2)] OperationStatus OperationStatus,
    [property: Id(3)] bool Final,
    [property: Id(4)] string Currency,
    [property: Id(5)] SeatBasis SeatBasis,
    [property: Id(6)] int TotalSeats,
    [property: Id(7)] decimal TotalCosts,
    [property: Id(8)] decimal TotalCoFinancing,
    [property: Id(9)] decimal NetCost,
    [property: Id(10)] IReadOnlyList<CostLine> Costs,
    [property: Id(11)] IReadOnlyList<CoFinancingLine> CoFinancing,
    [property: Id(12)] IReadOnlyList<StateShare> Shares,
    [property: Id(13)] long Version);

/// <summary>
/// What the operation tells its cost record: organiser, status and the seats each state holds for cost (rule 19).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.CostBasis")]
public sealed record CostBasis(
    [property: Id(0)] string Organiser,
    [property: Id(1)] OperationStatus Status,
    [property: Id(2)] SeatBasis SeatBasis,
    [property: Id(3)] IReadOnlyDictionary<string, int> Seats);
