namespace ReturnOps.Grains.Costs;

/// <summary>
/// Rule 19: the net cost split across states by the seats each held, in whole cents by the largest-remainder method.
/// Every state first gets its proportional share rounded down to the cent; the cents left over (fewer than the number of
/// states) go one each to the largest remainders, ties broken by country code (ordinal), so the same seats always give the
/// same split. Pure, so the property test drives it directly.
/// </summary>
public static class CostShares
{
    /// <summary>
    /// The share of each state in <paramref name="seats"/> (ordered by country code). With no seat held at all, the
    /// organiser carries the whole net cost: it chartered the plane that nobody flew on (a product rule, docs/api.md).
    /// </summary>
    public static IReadOnlyList<StateShare> Split(decimal netCost, IReadOnlyDictionary<string, int> seats, string organiser)
    {
        if (netCost < 0 || decimal.Round(netCost, 2) != netCost || seats.Values.Any(s => s < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(netCost), "The net cost is whole cents, not negative; seats are not negative.");
        }
        var states = seats.Keys.Append(organiser).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var totalSeats = states.Sum(c => (long)seats.GetValueOrDefault(c));
        var netCents = (long)(netCost * 100);
        if (totalSeats == 0)
        {
            return [.. states.Select(c => new StateShare(c, 0, c == organiser ? netCost : 0m))];
        }
        // checked: at the limits (CostLimits) cents × seats stays far below long's range; a wrap would be a bug.
        var quotas = states.Select(c =>
        {
            var held = seats.GetValueOrDefault(c);
            var quota = checked(netCents * held);
            return (Country: c, Seats: held, Cents: quota / totalSeats, Remainder: quota % totalSeats);
        }).ToList();
        var leftover = netCents - quotas.Sum(q => q.Cents);
        var extra = quotas.OrderByDescending(q => q.Remainder).ThenBy(q => q.Country, StringComparer.Ordinal)
            .Take((int)leftover).Select(q => q.Country).ToHashSet(StringComparer.Ordinal);
        return [.. quotas.Select(q => new StateShare(q.Country, q.Seats, (q.Cents + (extra.Contains(q.Country) ? 1 : 0)) / 100m))];
    }
}
