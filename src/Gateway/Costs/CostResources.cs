using System.ComponentModel.DataAnnotations;
using ReturnOps.Grains.Costs;

namespace ReturnOps.Gateway.Costs;

/// <summary>
/// Body of <c>POST /operations/{id}/costs</c> and <c>PUT .../costs/{lineId}</c>: exact euros, at most two decimals. A charter
/// leg names its airports (<see cref="From"/>, <see cref="To"/>: IATA codes); other categories none. The attributes only describe
/// the limits in the OpenAPI document; the grain decides (422 <c>validation</c>).
/// </summary>
public sealed record CostLineInput(
    CostCategory Category,
    [property: Range(0.01, (double)CostLimits.MaxAmount)] decimal Amount,
    [property: MaxLength(CostLimits.MaxDescription)] string Description,
    [property: StringLength(3, MinimumLength = 3)] string? From = null,
    [property: StringLength(3, MinimumLength = 3)] string? To = null);

/// <summary>Body of <c>POST /operations/{id}/co-financing</c> and <c>PUT .../co-financing/{lineId}</c>: who pays (e.g. Frontex) and how much.</summary>
public sealed record CoFinancingInput(
    [property: MaxLength(CostLimits.MaxSource)] string Source,
    [property: Range(0.01, (double)CostLimits.MaxAmount)] decimal Amount,
    [property: MaxLength(CostLimits.MaxDescription)] string? Description = null);
