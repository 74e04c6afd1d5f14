using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Runtime;

namespace ReturnOps.Grains.Operations;

/// <summary>Bookings: all or nothing, seats = returnees + staff, escort ratio, family unity, first-fit waitlist.</summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<BookingView> RequestBooking(Caller caller, BookingRequest request)
    {
        var plan = Plan;
        if (caller.Role != Caller.Coordinator || caller.Country is not { } country)
        {
            throw new AccessDeniedException("Only a national coordinator books seats.");
        }
        if (S.Bookings.Find(b => b.Id == request.BookingId) is { } existing)
        {
            // A retried request (same id): answer as the first time, change nothing.
            return existing.Country == country && existing.Returnees.Select(r => r.Id).SequenceEqual(request.Returnees)
                ? ViewOf(existing, withReturnees: true)
                : throw new DomainRuleException(RuleCode.Validation, "This booking id is already used for another booking.");
        }
        if (S.Status != OperationStatus.Announced || clock.GetUtcNow() >= plan.BookingDeadline)
        {
            throw new DomainRuleException(RuleCode.BookingClosed, "The operation does not take bookings now.");
        }
        var booking = NewBooking(country, request);
        var assessed = await Task.WhenAll(request.Returnees.Select(id => Returnee(id).Assess(Context())));
        var violations = CheckBooking(booking, assessed, country);
        violations.AddRange(await CheckFamilies(country, request.Returnees, assessed));
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
        await ReserveAll(booking.Id, request.Returnees, country);
        booking.Returnees = [.. assessed.Select(r => new BookedReturnee { Id = r.ReturneeId, FamilyGroup = r.FamilyGroup, Forced = r.Forced })];
        booking.ForcedCount = assessed.Count(r => r.Forced);
        booking.Sequence = ++S.NextSequence;
        S.Bookings.Add(booking);
        SeatAllocation.Place(booking, S.Bookings, plan.SeatCapacity);
        AfterConfirmedSetChanged(booking.Status == BookingStatus.Confirmed ? [booking] : []);
        NotifyBooking(booking, "booking." + booking.Status.ToString().ToLowerInvariant());
        try
        {
            await Save();
        }
        catch (Exception ex) when (ex is InconsistentStateException or StorageUnavailableException)
        {
            // The booking was not stored: let its returnees go so that they are not held by a booking that
            // does not exist. The runtime's replay (or the client's retry with the same id) reserves them again.
            await ReleaseAll(booking);
            throw;
        }
        return ViewOf(booking, withReturnees: true);
    }

    public async Task CancelBooking(Caller caller, string bookingId)
    {
        var booking = OwnBooking(caller, bookingId);
        if (booking.Status == BookingStatus.Cancelled)
        {
            return;
        }
        if (S.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"A booking cannot be cancelled once the operation is {S.Status}.");
        }
        var wasConfirmed = booking.Status == BookingStatus.Confirmed;
        booking.Status = BookingStatus.Cancelled;
        await ReleaseAll(booking);
        NotifyBooking(booking, "booking.cancelled");
        FreeSeats(wasConfirmed);
        await Save();
    }

    public async Task<BookingView> ReinstateBooking(Caller caller, string bookingId)
    {
        var booking = OwnBooking(caller, bookingId);
        if (booking.Status != BookingStatus.Suspended || S.Status is not (OperationStatus.Announced or OperationStatus.BookingClosed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "Only a suspended booking of an operation still being booked can be reinstated.");
        }
        var assessed = await Task.WhenAll(booking.Returnees.Select(r => Returnee(r.Id).Assess(Context())));
        // The cases may have changed while suspended: judge eligibility and the escort ratio again.
        var violations = assessed.SelectMany(r => r.Violations).Concat(CheckEscorts(booking, booking.Country, assessed.Count(r => r.Forced))).ToList();
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
        booking.ForcedCount = assessed.Count(r => r.Forced);
        // It lost its seat when suspended: it arrives again, behind every booking already waiting.
        booking.Sequence = ++S.NextSequence;
        SeatAllocation.Place(booking, S.Bookings, Plan.SeatCapacity);
        AfterConfirmedSetChanged(booking.Status == BookingStatus.Confirmed ? [booking] : []);
        NotifyBooking(booking, "booking.reinstated");
        await Save();
        return ViewOf(booking, withReturnees: true);
    }

    public async Task SuspendReturnee(string returneeId, IReadOnlyList<string> rules)
    {
        var booking = S.Bookings.Find(b => b.Holds && b.Returnees.Any(r => r.Id == returneeId));
        if (booking is null || S.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled)
        {
            return;
        }
        // The whole booking: it was accepted whole (its escorts and family belong together), so it stops whole.
        var wasConfirmed = booking.Status == BookingStatus.Confirmed;
        booking.Status = BookingStatus.Suspended;
        S.Suspensions++;
        var warning = new Notification("booking.suspended", BookingId: booking.Id, Country: booking.Country, Status: nameof(BookingStatus.Suspended),
            Rules: rules, Seats: booking.Seats);
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

    /// <summary>Every rule a booking can break on its own: counts, eligibility (rules 1-6), escort ratio (8), capacity (11).</summary>
    private List<RuleViolation> CheckBooking(Booking booking, Reservation[] assessed, string country)
    {
        var violations = new List<RuleViolation>();
        if (new[] { booking.Escorts, booking.Medical, booking.Monitors, booking.Interpreters, booking.Observers }.Any(n => n < 0)
            || booking.Seats == 0 || assessed.Select(r => r.ReturneeId).Distinct().Count() != assessed.Length)
        {
            violations.Add(new(RuleCode.Validation, "A booking takes at least one seat, with distinct returnees and no negative staff count."));
        }
        foreach (var returnee in assessed)
        {
            violations.AddRange(returnee.Owner == country
                ? returnee.Violations.Select(v => v with { Detail = $"{returnee.ReturneeId}: {v.Detail}" })
                : [new RuleViolation(RuleCode.Validation, $"{returnee.ReturneeId}: not a returnee of {country}.")]);
        }
        violations.AddRange(CheckEscorts(booking, country, assessed.Count(r => r.Forced)));
        if (booking.Seats > Plan.SeatCapacity)
        {
            violations.Add(new(RuleCode.Capacity, $"The booking needs {booking.Seats} seats; the aircraft has {Plan.SeatCapacity}."));
        }
        return violations;
    }

    /// <summary>
    /// Rule 8: a state brings the escorts for its forced returnees, or, when the organiser supplies every escort,
    /// still sends at least <see cref="EscortRatio.MinimumRepresentatives"/> representatives (escorts or observers).
    /// </summary>
    private IEnumerable<RuleViolation> CheckEscorts(Booking booking, string country, int forced)
    {
        var required = EscortRatio.Required(Plan.Type, S.EscortsPerReturnee, forced);
        if (Plan.OrganiserSuppliesEscorts && country != Plan.Organiser)
        {
            var representatives = booking.Escorts + booking.Observers;
            if (booking.ReturneeCount > 0 && representatives < EscortRatio.MinimumRepresentatives)
            {
                yield return new(RuleCode.EscortRatio,
                    $"The organiser supplies the escorts; each state still sends {EscortRatio.MinimumRepresentatives} representatives, {representatives} were booked.");
            }
        }
        else if (booking.Escorts < required)
        {
            yield return new(RuleCode.EscortRatio, $"{required} escorts are needed for the forced returnees of this booking, {booking.Escorts} were booked.");
        }
    }

    /// <summary>Rule 4: every registered member of a family in the booking must be in the same booking.</summary>
    private async Task<List<RuleViolation>> CheckFamilies(string country, IReadOnlyList<string> returnees, Reservation[] assessed)
    {
        var violations = new List<RuleViolation>();
        foreach (var group in assessed.Where(r => r.FamilyGroup is not null).Select(r => r.FamilyGroup!).Distinct())
        {
            var members = await GrainFactory.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(country, group)).Members();
            if (members.Except(returnees).Any())
            {
                violations.Add(new(RuleCode.FamilyUnity, $"Family group {group} must travel together: a member is missing from the booking."));
            }
        }
        return violations;
    }

    /// <summary>Holds every returnee; if one was taken meanwhile, lets the others go and refuses the booking.</summary>
    private async Task ReserveAll(string bookingId, IReadOnlyList<string> returnees, string country)
    {
        var reference = new BookingRef(Id, bookingId);
        var results = await Task.WhenAll(returnees.Select(id => Returnee(id).Reserve(reference, country, Context())));
        if (results.Any(r => !r.Reserved))
        {
            await Task.WhenAll(results.Where(r => r.Reserved).Select(r => Returnee(r.ReturneeId).Release(reference)));
            throw new DomainRuleException([.. results.SelectMany(r => r.Violations)]);
        }
    }

    private Task ReleaseAll(Booking booking) =>
        Task.WhenAll(booking.Returnees.Select(r => Returnee(r.Id).Release(new BookingRef(Id, booking.Id))));

    private Booking OwnBooking(Caller caller, string bookingId) =>
        S.Bookings.Find(b => b.Id == bookingId && caller.IsCoordinatorOf(b.Country))
        ?? throw new ResourceNotFoundException($"Booking {bookingId} not found.");

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
    }
}
