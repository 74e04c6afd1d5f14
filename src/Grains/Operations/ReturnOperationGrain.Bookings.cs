using Orleans.Storage;
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

    /// <summary>The decisions over this activation's state.</summary>
    private OperationBookings Bookings => _bookings ??= new(Id, S);

    public async Task<BookingAnswer> RequestBooking(Caller caller, BookingRequest request, long? expectedVersion = null, AuditNote? audit = null)
    {
        // Another call is changing the operation: judge this request on what it leaves, not on what it is doing.
        await PassGate();
        ThrowIfBroken();
        if (S.Plan is not { } plan || !OperationVisibility.CanSee(caller, plan.Organiser, plan.Destinations, S.Status))
        {
            // What the gateway checked in a call of its own before: the booking is one call (issue 22).
            throw new ResourceNotFoundException($"Operation {Id} not found.");
        }
        if (caller.Role != Caller.Coordinator || caller.Country is not { } country)
        {
            throw new AccessDeniedException("Only a national coordinator books seats.");
        }
        if (BookingLimits.OutOfRange(request) is { Count: > 0 } outOfRange)
        {
            // Before anything is summed: seats are checked sums of these counts.
            throw new DomainRuleException(RuleCode.Validation, "A booking's counts must be in range: " + string.Join(", ", outOfRange) + ".");
        }
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
        var reserved = await ReserveAll(request.BookingId, request.Returnees, country);
        BookingDecision decision;
        try
        {
            var families = await FamiliesOf(country, reserved);
            await PassGate();
            ThrowIfBroken();
            if (Bookings.Find(request.BookingId) is { } raced)
            {
                // A retry of this request was decided while this one waited; it holds the same returnees under the same booking.
                await ReleaseReserved(request.BookingId, [.. reserved.Where(r => raced.Returnees.All(b => b.Id != r.ReturneeId))]);
                return await Replay(Bookings.Existing(country, request)!, audit);
            }
            // One synchronous step from here to the batch: nothing else is decided in between.
            decision = Bookings.Book(country, request, reserved, families, clock.GetUtcNow(), expectedVersion);
        }
        catch (Exception)
        {
            await ReleaseReserved(request.BookingId, reserved);
            throw;
        }
        var batch = Enlist(request.BookingId, decision);
        Audit(batch, audit, replayed: false);
        try
        {
            await batch.WhenStored();
        }
        catch (Exception ex) when (ex is InconsistentStateException or StorageUnavailableException)
        {
            // The booking was not stored: let its returnees go so that they are not held by a booking that does not exist.
            // The runtime's replay (or the client's retry with the same key) holds them again.
            await ReleaseReserved(request.BookingId, reserved);
            throw;
        }
        return new(decision.Booking, Replayed: false);
    }

    /// <summary>
    /// The first answer of a booking decided before, once its batch is stored; a replay is an access like the first, audited
    /// in the next batch (which commits after the booking's).
    /// </summary>
    private async Task<BookingAnswer> Replay(Booking booking, AuditNote? audit)
    {
        var batch = audit is null ? _unstored.GetValueOrDefault(booking.Id) : Join();
        Audit(batch, audit, replayed: true);
        if (batch is not null)
        {
            await batch.WhenStored();
        }
        return new(OperationBookings.FirstAnswer(booking), Replayed: true);
    }

    /// <summary>The request's audit entry joins the batch that answers it (201: only answers given here are audited here).</summary>
    private void Audit(BookingBatch? batch, AuditNote? audit, bool replayed)
    {
        if (batch is not null && audit is not null)
        {
            batch.Rows.Add(PendingAudit.Entry(clock.GetUtcNow(), audit.Subject, audit.Role, audit.Country,
                replayed ? audit.Action + ".replayed" : audit.Action, audit.Resource, "201"));
        }
    }

    public async Task CancelBooking(Caller caller, string bookingId, long? expectedVersion = null)
    {
        await PassGate();
        ThrowIfBroken();
        _ = Plan;
        while (_unstored.TryGetValue(bookingId, out var booked))
        {
            // Its booking is still being stored (its caller has no answer yet): cancelled after that write.
            await booked.WhenStored();
            await PassGate();
            ThrowIfBroken();
        }
        var booking = OwnBooking(caller, bookingId);
        if (booking.Status == BookingStatus.Cancelled)
        {
            // Cancelled before, or a retry of a cancellation being stored: answered once stored, its returnees let go
            // again (a first attempt may have failed between the write and the release; a release is idempotent).
            if (_cancelling.TryGetValue(bookingId, out var pending))
            {
                await pending.WhenStored();
            }
            await ReleaseAll(booking);
            return;
        }
        // Decided in one synchronous step, like a booking: the freed seats go to the waitlist in the same batch.
        var batch = EnlistCancellation(bookingId, Bookings.Cancel(booking, expectedVersion));
        await batch.WhenStored();
        // Only a stored cancellation lets its returnees go: a failed write keeps the booking, and them with it.
        await ReleaseAll(booking);
    }

    public async Task<BookingView> ReinstateBooking(Caller caller, string bookingId, long? expectedVersion = null)
    {
        _ = Plan;
        Bookings.CheckRevision(expectedVersion);
        var booking = OwnBooking(caller, bookingId);
        // The cases may have changed while suspended: they are judged again.
        var judged = await Task.WhenAll(booking.Returnees.Where(r => r.Suspended).Select(r => Returnee(r.Id).Assess(Context())));
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

    public Task<IReadOnlyList<BookingView>> GetBookings(Caller caller)
    {
        var organiser = IsOrganiser(caller);
        if (!organiser && caller.Role != Caller.Coordinator)
        {
            throw new AccessDeniedException("Bookings are shown to coordinators.");
        }
        IReadOnlyList<BookingView> visible = [.. S.Bookings
            .Where(b => organiser || b.Country == caller.Country)
            .OrderBy(b => b.Sequence)
            .Select(b => OperationBookings.View(b, withReturnees: b.Country == caller.Country))];
        return Task.FromResult(visible);
    }

    /// <summary>Each returnee judged and, if it passes its own rules, held for the booking: one call per returnee.</summary>
    private Task<Reservation[]> ReserveAll(string bookingId, IReadOnlyList<string> returnees, string country)
    {
        var reference = new BookingRef(Id, bookingId);
        return Task.WhenAll(returnees.Select(id => Returnee(id).Reserve(reference, country, Context())));
    }

    /// <summary>Rule 4's facts: the registered members of each family group the booking names.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FamiliesOf(string country, Reservation[] reserved)
    {
        var groups = reserved.Where(r => r.FamilyGroup is not null).Select(r => r.FamilyGroup!).Distinct().ToList();
        var members = await Task.WhenAll(groups.Select(g => GrainFactory.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(country, g)).Members()));
        return groups.Zip(members).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    private Task ReleaseReserved(string bookingId, IEnumerable<Reservation> reserved) =>
        Task.WhenAll(reserved.Where(r => r.Reserved).Select(r => Returnee(r.ReturneeId).Release(new BookingRef(Id, bookingId))));

    /// <summary>Lets a cancelled booking's returnees go once the cancellation is stored (its write took their hold rows away).</summary>
    private Task ReleaseAll(Booking booking) =>
        Task.WhenAll(booking.Returnees.Select(r => Returnee(r.Id).Release(new BookingRef(Id, booking.Id), stored: true)));

    private Booking OwnBooking(Caller caller, string bookingId) =>
        Bookings.Find(bookingId) is { } booking && caller.IsCoordinatorOf(booking.Country)
            ? booking
            : throw new ResourceNotFoundException($"Booking {bookingId} not found.");
}
