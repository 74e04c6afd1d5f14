using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using Orleans.Storage;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>Bookings: all or nothing, seats = returnees + staff, escort ratio, family unity, first-fit waitlist.</summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<BookingView> RequestBooking(Caller caller, BookingRequest request, long? expectedVersion = null)
    {
        // Another call is changing the operation: judge this request on what it leaves, not on what it is doing.
        await PassGate();
        ThrowIfBroken();
        _ = Plan;
        if (caller.Role != Caller.Coordinator || caller.Country is not { } country)
        {
            throw new AccessDeniedException("Only a national coordinator books seats.");
        }
        if (BookingLimits.OutOfRange(request) is { Count: > 0 } outOfRange)
        {
            // Before anything is summed: seats are checked sums of these counts.
            throw new DomainRuleException(RuleCode.Validation, "A booking's counts must be in range: " + string.Join(", ", outOfRange) + ".");
        }
        if (Decided(request.BookingId, country, request.Returnees) is { } first)
        {
            // A retried request (same id): answer as the first time, change nothing.
            return await first;
        }
        // After the retry above: a repeated request answers as the first time although its own change moved the revision.
        CheckExpectedVersion(expectedVersion);
        CheckOpenForBookings();
        var booking = NewBooking(country, request);
        // One call per returnee judges and reserves it (a returnee that fails its own rules is not reserved); the rules of
        // the whole booking are checked on those answers, and a refusal lets the reserved ones go. Reservations of different
        // bookings overlap: this call interleaves with the other bookings at every await.
        var reserved = await ReserveAll(booking.Id, request.Returnees, country);
        await Refuse(booking, reserved, [.. CheckBooking(booking, reserved, country), .. await CheckFamilies(country, request.Returnees, reserved)]);
        var batch = await Decide(booking, reserved, expectedVersion);
        if (batch is null)
        {
            return await Decided(request.BookingId, country, request.Returnees)!;
        }
        try
        {
            return await batch.Answer(booking.Id);
        }
        catch (Exception ex) when (ex is InconsistentStateException or StorageUnavailableException)
        {
            // The booking was not stored: let its returnees go so that they are not held by a booking that
            // does not exist. The runtime's replay (or the client's retry with the same id) reserves them again.
            await ReleaseAll(booking);
            throw;
        }
    }

    /// <summary>
    /// Decides the reserved booking in one synchronous step after the gate, checking again everything the awaits may have
    /// changed; null if the same booking id was decided meanwhile (a retry racing its first attempt, which holds the returnees).
    /// A refusal here lets the returnees go.
    /// </summary>
    private async Task<BookingBatch?> Decide(Booking booking, Reservation[] reserved, long? expectedVersion)
    {
        await PassGate();
        try
        {
            ThrowIfBroken();
            if (BookingById(booking.Id) is not null)
            {
                return null;
            }
            CheckExpectedVersion(expectedVersion);
            CheckOpenForBookings();
            if (CheckBooking(booking, reserved, booking.Country) is { Count: > 0 } violations)
            {
                throw new DomainRuleException(violations);
            }
        }
        catch (Exception)
        {
            await ReleaseReserved(booking.Id, reserved);
            throw;
        }
        return Enlist(booking, () =>
        {
            booking.Returnees = [.. reserved.Select(r => new BookedReturnee { Id = r.ReturneeId, FamilyGroup = r.FamilyGroup, Forced = r.Forced })];
            booking.Recount();
            booking.Sequence = ++S.NextSequence;
            S.Bookings.Add(booking);
            SeatAllocation.Place(booking, S.Bookings, Plan.SeatCapacity);
            AfterConfirmedSetChanged(booking.Status == BookingStatus.Confirmed ? [booking] : []);
            S.Revision++;
            NotifyBooking(booking, "booking." + booking.Status.ToString().ToLowerInvariant());
        });
    }

    private void CheckOpenForBookings()
    {
        if (S.Status != OperationStatus.Announced || clock.GetUtcNow() >= Plan.BookingDeadline)
        {
            throw new DomainRuleException(RuleCode.BookingClosed, "The operation does not take bookings now.");
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
        CheckExpectedVersion(expectedVersion);
        if (S.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"A booking cannot be cancelled once the operation is {S.Status}.");
        }
        // Decided in one synchronous step, like a booking: the freed seats go to the waitlist in the same batch.
        var batch = EnlistCancellation(bookingId, () =>
        {
            var wasConfirmed = booking.Status == BookingStatus.Confirmed;
            booking.Status = BookingStatus.Cancelled;
            NotifyBooking(booking, "booking.cancelled");
            FreeSeats(wasConfirmed);
            S.Revision++;
        });
        await batch.WhenStored();
        // Only a stored cancellation lets its returnees go: a failed write keeps the booking, and them with it.
        await ReleaseAll(booking);
    }

    public async Task<BookingView> ReinstateBooking(Caller caller, string bookingId, long? expectedVersion = null)
    {
        _ = Plan;
        CheckExpectedVersion(expectedVersion);
        var booking = OwnBooking(caller, bookingId);
        var suspended = booking.Returnees.Where(r => r.Suspended).ToList();
        if (booking.Status == BookingStatus.Cancelled || suspended.Count == 0 || S.Status is not (OperationStatus.Announced or OperationStatus.BookingClosed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition,
                "Only a booking with suspended returnees, on an operation still being booked, can be reinstated.");
        }
        var assessed = (await Task.WhenAll(suspended.Select(r => Returnee(r.Id).Assess(Context())))).ToDictionary(r => r.ReturneeId);
        // The cases may have changed while suspended: judge eligibility, the escort ratio and the destination again.
        var forced = booking.Travelling.Count(r => r.Forced) + assessed.Values.Count(r => r.Forced);
        var violations = assessed.Values.SelectMany(r => r.Violations.Select(v => v with { Detail = $"{r.ReturneeId}: {v.Detail}" }))
            .Concat(CheckEscorts(booking, booking.Country, forced)).Concat(CheckVoluntaryOnly([.. assessed.Values]))
            .Concat(CheckDestinationOfReturn(assessed.Values)).ToList();
        var free = checked(Plan.SeatCapacity - SeatAllocation.ConfirmedSeats(S.Bookings));
        if (booking.Status == BookingStatus.Confirmed && suspended.Count > free)
        {
            // Their seats went to the waitlist; they come back only into seats that are free now.
            violations.Add(new(RuleCode.Capacity, $"{suspended.Count} seats are needed to bring the suspended returnees back, {free} are free."));
        }
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
        foreach (var returnee in suspended)
        {
            returnee.Suspended = false;
            returnee.Forced = assessed[returnee.Id].Forced;
        }
        booking.Recount();
        if (booking.Status == BookingStatus.Suspended)
        {
            // The whole booking lost its seats: it arrives again, behind every booking already waiting.
            booking.Sequence = ++S.NextSequence;
            SeatAllocation.Place(booking, S.Bookings, Plan.SeatCapacity);
        }
        AfterConfirmedSetChanged(booking.Status == BookingStatus.Confirmed ? [booking] : []);
        NotifyBooking(booking, "booking.reinstated");
        await Save();
        return ViewOf(booking, withReturnees: true);
    }

    public async Task SuspendReturnee(string returneeId, IReadOnlyList<string> rules)
    {
        var booking = S.Bookings.Find(b => b.Holds && b.Travelling.Any(r => r.Id == returneeId));
        if (booking is null || S.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled)
        {
            return;
        }
        // Rule 2 suspends the seat, not the booking: the country's other returnees keep theirs. Rule 4: the
        // returnee's family in this booking stops too. A booking left with nobody to escort stops whole.
        var ineligible = booking.Returnees.Single(r => r.Id == returneeId);
        var stopping = booking.Travelling.Where(r => r == ineligible || (ineligible.FamilyGroup is not null && r.FamilyGroup == ineligible.FamilyGroup)).ToList();
        var wasConfirmed = booking.Status == BookingStatus.Confirmed;
        var seatsBefore = booking.Seats;
        stopping.ForEach(r => r.Suspended = true);
        booking.Recount();
        if (booking.ReturneeCount == 0)
        {
            booking.Status = BookingStatus.Suspended;
        }
        S.Suspensions++;
        var freed = booking.Status == BookingStatus.Suspended ? seatsBefore : seatsBefore - booking.Seats;
        var warning = new Notification("booking.suspended", BookingId: booking.Id, Country: booking.Country, Status: booking.Status.ToString(),
            Rules: rules, Seats: freed);
        Notify(Destination.Country(Plan.Organiser), warning);
        if (booking.Country != Plan.Organiser)
        {
            Notify(Destination.Country(booking.Country), warning);
        }
        Notify(Destination.Carriers(Id), warning);
        FreeSeats(wasConfirmed);
        await Save();
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
            .Select(b => ViewOf(b, withReturnees: b.Country == caller.Country))];
        return Task.FromResult(visible);
    }

    private static Booking NewBooking(string country, BookingRequest request) => new()
    {
        Id = request.BookingId,
        Country = country,
        ReturneeCount = request.Returnees.Count,
        Escorts = request.Escorts,
        Medical = request.Medical,
        Monitors = request.Monitors,
        Interpreters = request.Interpreters,
        Observers = request.Observers,
    };

    /// <summary>Each returnee judged and, if it passes its own rules, reserved for the booking: one call per returnee.</summary>
    private Task<Reservation[]> ReserveAll(string bookingId, IReadOnlyList<string> returnees, string country)
    {
        var reference = new BookingRef(Id, bookingId);
        return Task.WhenAll(returnees.Select(id => Returnee(id).Reserve(reference, country, Context())));
    }

    /// <summary>The booking is refused for <paramref name="violations"/>, if any: its reserved returnees are let go first.</summary>
    private async Task Refuse(Booking booking, Reservation[] reserved, List<RuleViolation> violations)
    {
        if (violations.Count > 0)
        {
            await ReleaseReserved(booking.Id, reserved);
            throw new DomainRuleException(violations);
        }
    }

    private Task ReleaseReserved(string bookingId, Reservation[] reserved) =>
        Task.WhenAll(reserved.Where(r => r.Reserved).Select(r => Returnee(r.ReturneeId).Release(new BookingRef(Id, bookingId))));

    private Task ReleaseAll(Booking booking) =>
        Task.WhenAll(booking.Returnees.Select(r => Returnee(r.Id).Release(new BookingRef(Id, booking.Id))));

    private Booking OwnBooking(Caller caller, string bookingId) =>
        BookingById(bookingId) is { } booking && caller.IsCoordinatorOf(booking.Country)
            ? booking
            : throw new ResourceNotFoundException($"Booking {bookingId} not found.");

    /// <summary>Bookings by id. They are only ever appended to <c>S.Bookings</c>, so the index catches up with the list's tail.</summary>
    private readonly Dictionary<string, Booking> _bookingsById = new(StringComparer.Ordinal);
    private int _bookingsIndexed;

    private Booking? BookingById(string bookingId)
    {
        for (; _bookingsIndexed < S.Bookings.Count; _bookingsIndexed++)
        {
            // The first booking of an id wins, as List.Find did.
            _bookingsById.TryAdd(S.Bookings[_bookingsIndexed].Id, S.Bookings[_bookingsIndexed]);
        }
        return _bookingsById.GetValueOrDefault(bookingId);
    }

    /// <summary>Seats came free: the waitlist moves up while the manifest is still open.</summary>
    private void FreeSeats(bool confirmedSetChanged)
    {
        var promoted = S.Status is OperationStatus.Announced or OperationStatus.BookingClosed
            ? SeatAllocation.Promote(S.Bookings, Plan.SeatCapacity)
            : [];
        foreach (var booking in promoted)
        {
            NotifyBooking(booking, "booking.promoted");
        }
        if (confirmedSetChanged || promoted.Count > 0)
        {
            S.ManifestVersion++;
        }
    }

    private void AfterConfirmedSetChanged(IReadOnlyList<Booking> confirmed)
    {
        if (confirmed.Count > 0)
        {
            S.ManifestVersion++;
        }
    }

    private void NotifyBooking(Booking booking, string subject)
    {
        var body = new Notification(subject, BookingId: booking.Id, Country: booking.Country, Status: booking.Status.ToString(), Seats: booking.Seats);
        Notify(Destination.Country(booking.Country), body);
        if (booking.Country != Plan.Organiser)
        {
            Notify(Destination.Country(Plan.Organiser), body);
        }
        // The secretariat's feed: counts and statuses only, which is all it may see (rule 16).
        Notify(Destination.Role(Caller.Secretariat), body);
    }
}
