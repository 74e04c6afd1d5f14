using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// One returnee (and its family, rule 4) taken off a booking, and the way it shares with a cancellation (<c>LetGoAsync</c>): decided
/// and stored in the bookings' batch, the hold rows gone in the same write and the returnees let go once that write is stored.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    /// <summary>Cancellations and removals decided and not yet stored, by change: a retry of one is answered once its write commits.</summary>
    private readonly Dictionary<string, Task> _lettingGo = new(StringComparer.Ordinal);

    public Task RemoveReturnee(Caller caller, string bookingId, string returneeId, long? expectedVersion = null, AuditNote? audit = null) =>
        // Removed before, or a retry of a removal being stored, when the returnee is among the removed and not on the booking:
        // everyone removed from it and not on it again is let go again (its family left with it, rule 4).
        LetGoAsync(caller, bookingId, $"remove:{bookingId}/{returneeId}", () => RemovableBy(caller, bookingId, returneeId),
            booking => booking.Removed?.Contains(returneeId) == true && booking.Returnees.TrueForAll(r => r.Id != returneeId)
                ? booking.Removed.Where(id => booking.Returnees.TrueForAll(r => r.Id != id))
                : null,
            booking =>
            {
                var removal = Bookings.Remove(booking, returneeId, expectedVersion);
                return (removal.Decision.Notices, removal.Returnees);
            },
            expectedVersion, audit);

    /// <summary>
    /// The way of a change that lets returnees off a standing booking (its cancellation, one returnee's removal): one call, decided
    /// in one synchronous step and stored in the bookings' batch with its audit entry, the returnees let go only once it is stored
    /// (a failed write keeps them). A call made while the booking itself is still being stored waits for that write. A change
    /// made before (<paramref name="done"/> names whom it let go) is answered once its write is stored, If-Match checked as for
    /// any change (a retry naming the version before the change finds it moved), and its returnees are let go again.
    /// </summary>
    private async Task LetGoAsync(Caller caller, string bookingId, string change, Func<Booking> find, Func<Booking, IEnumerable<string>?> done,
        Func<Booking, (IReadOnlyList<Notice> Notices, IEnumerable<string> Leaving)> decide, long? expectedVersion, AuditNote? audit)
    {
        await Commits.Settled();
        // What the gateway checked in a call of its own before: the change is one call too.
        Bookings.See(caller);
        while (_unstored.GetValueOrDefault(bookingId) is { } booked)
        {
            await booked;
            await Commits.Settled();
        }
        var booking = find();
        if (done(booking) is { } released)
        {
            Bookings.CheckRevision(expectedVersion);
            if (_lettingGo.GetValueOrDefault(change) is { } pending)
            {
                await pending;
            }
            if (audit is not null)
            {
                var audited = new TurnEffects();
                Audit(audited, audit, "204");
                await Commits.Commit(audited);
            }
            await Returnees.Release(booking.Id, released, stored: true);
            return;
        }
        var effects = new TurnEffects();
        var (notices, leaving) = decide(booking);
        Stage(effects, notices);
        Audit(effects, audit, "204");
        var stored = _lettingGo[change] = Commits.Commit(effects);
        try
        {
            await stored;
        }
        finally
        {
            _lettingGo.Remove(change);
        }
        await Returnees.Release(booking.Id, leaving, stored: true);
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
