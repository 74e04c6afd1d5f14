using ReturnOps.Grains.Returnees;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The returnee and family grains an operation asks: each returnee judged and held at booking, judged again before a
/// confirmation or a reinstatement, let go, read for the manifest, erased at retention. One call per returnee, all at once.
/// </summary>
internal sealed class OperationReturnees(IGrainFactory grains, string operationId)
{
    /// <summary>Each returnee judged and, if it passes its own rules, held for the booking.</summary>
    public Task<Reservation[]> Reserve(string bookingId, IEnumerable<string> returnees, string country, EligibilityContext context)
    {
        var booking = new BookingRef(operationId, bookingId);
        return Task.WhenAll(returnees.Select(id => Returnee(id).Reserve(booking, country, context)));
    }

    /// <summary>Each returnee judged on its case as it is now, holding nothing.</summary>
    public Task<Reservation[]> Assess(IEnumerable<string> returnees, EligibilityContext context)
    {
        return Task.WhenAll(returnees.Select(id => Returnee(id).Assess(context)));
    }

    /// <summary>Rule 4's facts: the registered members of each family group the judged returnees name.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FamiliesOf(string country, IEnumerable<Reservation> judged)
    {
        var groups = judged.Where(r => r.FamilyGroup is not null).Select(r => r.FamilyGroup!).Distinct().ToList();
        var members = await Task.WhenAll(groups.Select(g => grains.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(country, g)).Members()));
        return groups.Zip(members).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>
    /// Lets the returnees of a booking go. <paramref name="stored"/>: the write that ended the booking took their hold rows
    /// away, so they need not look for them.
    /// </summary>
    public Task Release(string bookingId, IEnumerable<string> returnees, bool stored = false) =>
        Release(returnees.Select(id => (bookingId, id)), stored);

    /// <summary>Lets each returnee go from the booking named beside it.</summary>
    public Task Release(IEnumerable<(string BookingId, string ReturneeId)> holds, bool stored = false)
    {
        return Task.WhenAll(holds.Select(h => Returnee(h.ReturneeId).Release(new BookingRef(operationId, h.BookingId), stored)));
    }

    /// <summary>The returnees' cases as their owners see them (null where erased).</summary>
    public Task<ReturneeView?[]> Read(IEnumerable<string> returnees)
    {
        return Task.WhenAll(returnees.Select(id => Returnee(id).Get()));
    }

    /// <summary>Rule 15: the returnees' personal data erased, except for those booked on another operation.</summary>
    public Task Erase(IEnumerable<string> returnees)
    {
        return Task.WhenAll(returnees.Select(id => Returnee(id).Erase(unlessBookedElsewhereThan: operationId)));
    }

    private IReturneeGrain Returnee(string id) => grains.GetGrain<IReturneeGrain>(id);
}
