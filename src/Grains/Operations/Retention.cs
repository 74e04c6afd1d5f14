namespace ReturnOps.Grains.Operations;

/// <summary>Rule 15: an ended operation keeps its returnees' personal data for the retention period, then erases it; the counts stay.</summary>
public static class Retention
{
    public static bool Due(ReturnOperationState state, DateTimeOffset now, int retentionDays) =>
        state.EndedAt is { } ended && now >= ended.AddDays(retentionDays);

    /// <summary>
    /// Every returnee whose data the operation holds: no-shows too, as the person was on this manifest (one rebooked on another
    /// operation meanwhile is spared by its own grain).
    /// </summary>
    public static IEnumerable<string> Returnees(ReturnOperationState state) =>
        state.Bookings.SelectMany(b => b.Returnees).Select(r => r.Id).Concat(state.NoShows.Select(n => n.ReturneeId)).Where(id => id.Length > 0);

    /// <summary>Forgets the returnees' ids everywhere the operation keeps them.</summary>
    public static void Erase(ReturnOperationState state)
    {
        foreach (var booking in state.Bookings)
        {
            booking.Returnees = [];
            booking.Removed = null;
        }
        state.NoShows.ForEach(n =>
        {
            n.ReturneeId = "";
            n.Returnee = null;
        });
        state.Clearances.Values.ToList().ForEach(c => c.RejectedReturnees.Clear());
        state.PersonalDataErased = true;
    }
}
