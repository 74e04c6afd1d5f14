using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// One returnee (and its family, rule 4) taken off a booking: decided and stored like a cancellation, in the bookings' batch, its hold row
/// gone in the same write and the returnee let go once that write is stored.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    /// <summary>Removals decided and not yet stored, by booking and returnee: a retry of one is answered once its write commits.</summary>
    private readonly Dictionary<(string Booking, string Returnee), Task> _removing = [];

    public async Task RemoveReturnee(Caller caller, string bookingId, string returneeId, long? expectedVersion = null, AuditNote? audit = null)
    {
        await Commits.Settled();
        Bookings.See(caller);
        while (_unstored.GetValueOrDefault(bookingId) is { } booked)
        {
            // Its booking is still being stored: removed from it after that write.
            await booked;
            await Commits.Settled();
        }
        var booking = RemovableBy(caller, bookingId, returneeId);
        if (booking.Removed?.Contains(returneeId) == true && booking.Returnees.TrueForAll(r => r.Id != returneeId))
        {
            // Removed before, or a retry of a removal being stored: answered once stored, the returnee let go again (idempotent).
            Bookings.CheckRevision(expectedVersion);
            if (_removing.GetValueOrDefault((bookingId, returneeId)) is { } pending)
            {
                await pending;
            }
            if (audit is not null)
            {
                var audited = new TurnEffects();
                Audit(audited, audit, "204");
                await Commits.Commit(audited);
            }
            // Its family left with it (rule 4): everyone removed from the booking and not on it again is let go.
            await Returnees.Release(booking.Id, [.. booking.Removed.Where(id => booking.Returnees.TrueForAll(r => r.Id != id))], stored: true);
            return;
        }
        // One synchronous step from the decision to its commit; the freed seat goes to the waitlist in the same write.
        var effects = new TurnEffects();
        var removal = Bookings.Remove(booking, returneeId, expectedVersion);
        Stage(effects, removal.Decision.Notices);
        Audit(effects, audit, "204");
        var stored = _removing[(bookingId, returneeId)] = Commits.Commit(effects);
        try
        {
            await stored;
        }
        finally
        {
            _removing.Remove((bookingId, returneeId));
        }
        // The write took the hold rows away with the booking's change: only a stored removal lets them go.
        await Returnees.Release(booking.Id, removal.Returnees, stored: true);
    }

    /// <summary>
    /// The booking's own coordinator removes any of its returnees; the organiser, from any booking, a person a destination
    /// rejected (rule 13: the organiser answers for the manifest). Any other booking is not found.
    /// </summary>
    private Booking RemovableBy(Caller caller, string bookingId, string returneeId) =>
        Bookings.Find(bookingId) is { } booking
            && (caller.IsCoordinatorOf(booking.Country) || (IsOrganiser(caller) && S.Clearances.Values.Any(c => c.RejectedReturnees.Contains(returneeId))))
            ? booking
            : throw new ResourceNotFoundException($"Booking {bookingId} not found.");
}
