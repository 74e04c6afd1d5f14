using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Bookings: the grain gathers what a decision needs (the returnees' judgments and holds, their families), asks
/// <see cref="OperationBookings"/> to decide, stores the decision with the others of its batch, and answers.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    private OperationBookings? _bookings;

    /// <summary>Bookings decided and not yet stored, by id: a retry of one is answered once its write commits.</summary>
    private readonly Dictionary<string, Task> _unstored = new(StringComparer.Ordinal);


    /// <summary>The decisions over this activation's state.</summary>
    private OperationBookings Bookings => _bookings ??= new(Id, S);

    public async Task<BookingAnswer> RequestBooking(Caller caller, BookingRequest request, long? expectedVersion = null, AuditNote? audit = null)
    {
        // Another call is changing the operation: judge this request on what it leaves, not on what it is doing.
        await Commits.Settled();
        // What the gateway checked in calls of its own before: the booking is one call (issue 22).
        var country = Bookings.Admit(caller, request);
        if (Bookings.Existing(country, request) is { } decided)
        {
            // A retried request (the same Idempotency-Key through any gateway): its first answer, once stored.
            return await Replay(decided, audit);
        }
        // Checked before the returnees are asked, and again when the booking is decided: the awaits may move both.
        Bookings.CheckRevision(expectedVersion);
        Bookings.CheckOpen(clock.GetUtcNow());
        // One call per returnee judges and holds it (a returnee that fails its own rules is not held). Holds of different
        // bookings overlap: this call interleaves with the other bookings at every await.
        var reserved = await Returnees.Reserve(request.BookingId, request.Returnees, country, Context());
        Task? stored = null;
        try
        {
            var families = await Returnees.FamiliesOf(country, reserved);
            await Commits.Settled();
            if (Bookings.Find(request.BookingId) is { } raced)
            {
                // A retry of this request was decided while this one waited; it holds the same returnees under the same booking.
                await ReleaseReserved(request.BookingId, reserved.Where(r => raced.Returnees.All(b => b.Id != r.ReturneeId)));
                return await Replay(Bookings.Existing(country, request)!, audit);
            }
            // One synchronous step from the decision to its commit: nothing else is decided in between.
            var decision = Bookings.Book(country, request, reserved, families, clock.GetUtcNow(), expectedVersion);
            var effects = new TurnEffects();
            Stage(effects, decision.Notices);
            Audit(effects, audit, "201", replayed: false);
            await (stored = _unstored[request.BookingId] = Commits.Commit(effects));
            return new(decision.Booking, Replayed: false);
        }
        catch (Exception)
        {
            // Refused, or not stored: its returnees go, so that none is held by a booking that does not exist. The runtime's
            // replay (or the client's retry with the same key) holds them again.
            await ReleaseReserved(request.BookingId, reserved);
            throw;
        }
        finally
        {
            if (stored is not null)
            {
                _unstored.Remove(request.BookingId);
            }
        }
    }

    /// <summary>
    /// The first answer of a booking decided before, once it is stored; a replay is an access like the first, audited in a
    /// write of its own after the booking's (writes commit in order).
    /// </summary>
    private async Task<BookingAnswer> Replay(Booking booking, AuditNote? audit)
    {
        if (audit is not null)
        {
            var effects = new TurnEffects();
            Audit(effects, audit, "201", replayed: true);
            await Commits.Commit(effects);
        }
        else if (_unstored.GetValueOrDefault(booking.Id) is { } stored)
        {
            await stored;
        }
        return new(OperationBookings.FirstAnswer(booking), Replayed: true);
    }

    /// <summary>The request's audit entry goes with the write that answers it (only answers given here are audited here).</summary>
    private void Audit(TurnEffects effects, AuditNote? audit, string outcome, bool replayed = false)
    {
        if (audit is not null)
        {
            effects.Add(PendingAudit.Entry(clock.GetUtcNow(), audit.Subject, audit.Role, audit.Country,
                replayed ? audit.Action + ".replayed" : audit.Action, audit.Resource, outcome));
        }
    }

    public Task CancelBooking(Caller caller, string bookingId, long? expectedVersion = null, AuditNote? audit = null) =>
        // Cancelled before, or a retry of a cancellation being stored, when the booking reads Cancelled: its returnees are let go
        // again (a first attempt may have failed between the write and the release; a release is idempotent).
        LetGoAsync(caller, bookingId, "cancel:" + bookingId, () => OwnBooking(caller, bookingId),
            booking => booking.Status == BookingStatus.Cancelled ? booking.Returnees.Select(r => r.Id) : null,
            booking => (Bookings.Cancel(booking, expectedVersion).Notices, booking.Returnees.Select(r => r.Id)),
            expectedVersion, audit);

    public async Task<BookingView> ReinstateBooking(Caller caller, string bookingId, long? expectedVersion = null)
    {
        _ = Plan;
        Bookings.CheckRevision(expectedVersion);
        var booking = OwnBooking(caller, bookingId);
        // The cases may have changed while suspended: they are judged again.
        var judged = await Returnees.Assess(booking.Returnees.Where(r => r.Suspended).Select(r => r.Id), Context());
        var decision = Bookings.Reinstate(booking, judged, expectedVersion);
        Send(decision.Notices);
        await Persist();
        return decision.Booking;
    }

    public async Task SuspendReturnee(string returneeId, IReadOnlyList<string> rules)
    {
        if (Bookings.Suspend(returneeId, rules) is { } decision)
        {
            Send(decision.Notices);
            await Persist();
        }
    }

    public Task<IReadOnlyList<BookingView>> GetBookings(Caller caller) => Task.FromResult(Bookings.Visible(caller, IsOrganiser(caller)));

    /// <summary>Lets go the returnees a booking held that it did not keep (a refused booking, a write that failed).</summary>
    private Task ReleaseReserved(string bookingId, IEnumerable<Reservation> reserved) =>
        Returnees.Release(bookingId, reserved.Where(r => r.Reserved).Select(r => r.ReturneeId));

    private Booking OwnBooking(Caller caller, string bookingId) =>
        Bookings.Find(bookingId) is { } booking && caller.IsCoordinatorOf(booking.Country)
            ? booking
            : throw new ResourceNotFoundException($"Booking {bookingId} not found.");
}
