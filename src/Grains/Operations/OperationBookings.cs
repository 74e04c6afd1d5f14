using System.Globalization;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>A message a decision sends: where to, and what. The grain turns it into an outbox row of the decision's write.</summary>
public sealed record Notice(string Destination, Notification Body)
{
    /// <summary>The outbox row that sends this notice about operation <paramref name="operationId"/>, in its lane.</summary>
    public Storage.OutboxMessage ToMessage(string operationId, DateTimeOffset now) =>
        Outbox.Message(Destination, operationId, Body.Subject, Body with { OperationId = operationId }, now);
}

/// <summary>What one decision changed: the booking it decided, as its caller sees it, and the messages it sends.</summary>
public sealed record BookingDecision(BookingView Booking, IReadOnlyList<Notice> Notices);

/// <summary>A removal from a booking: the decision, and everyone who left with it (the returnee and its family, rule 4).</summary>
public sealed record Removal(BookingDecision Decision, IReadOnlyList<string> Returnees);

/// <summary>
/// An operation's bookings and the decisions on them (rules 2, 4, 8, 11, 21 and the waitlist): booking, cancelling, suspending
/// and reinstating, each deciding in one synchronous step over the operation's state and giving back what it sends. Plain code,
/// no grain and no I/O: the grain gathers the returnees' judgments and their families first, then asks here, then stores what
/// changed. A refusal throws before anything changes; so an accepted decision is all of its change. Who keeps a seat on a
/// booking once it stands (removal, suspension, reinstatement) is decided in <c>OperationBookings.Seats.cs</c>.
/// </summary>
public sealed partial class OperationBookings(string operationId, ReturnOperationState state)
{
    /// <summary>Bookings by id. They are only ever appended to the state's list, so the index catches up with the list's tail.</summary>
    private readonly Dictionary<string, Booking> _byId = new(StringComparer.Ordinal);
    private int _indexed;

    private OperationPlan Plan => state.Plan ?? throw new InvalidOperationException("An operation without a plan has no bookings.");

    /// <summary>
    /// Who may ask for a booking, before anything else is looked at: the operation exists and the caller sees it (else 404, as
    /// for any operation it may not see), a national coordinator, counts in range. Returns the booking's country.
    /// </summary>
    public string Admit(Caller caller, BookingRequest request)
    {
        See(caller);
        if (caller.Role != Caller.Coordinator || caller.Country is not { } country)
        {
            throw new AccessDeniedException("Only a national coordinator books seats.");
        }
        if (BookingLimits.OutOfRange(request) is { Count: > 0 } outOfRange)
        {
            // Before anything is summed: seats are checked sums of these counts.
            throw new DomainRuleException(RuleCode.Validation, "A booking's counts must be in range: " + string.Join(", ", outOfRange) + ".");
        }
        return country;
    }

    /// <summary>The operation exists and the caller sees it, else 404, as for any operation it may not see.</summary>
    public void See(Caller caller)
    {
        if (state.Plan is not { } plan || !OperationVisibility.CanSee(caller, plan.Organiser, plan.Destinations, state.Status))
        {
            throw new ResourceNotFoundException($"Operation {operationId} not found.");
        }
    }

    /// <summary>The booking with this id, if any.</summary>
    public Booking? Find(string bookingId)
    {
        for (; _indexed < state.Bookings.Count; _indexed++)
        {
            // The first booking of an id wins, as a search of the list would.
            _byId.TryAdd(state.Bookings[_indexed].Id, state.Bookings[_indexed]);
        }
        return _byId.GetValueOrDefault(bookingId);
    }

    /// <summary>
    /// The booking already decided under <paramref name="request"/>'s id, or null. The same id with another request (the
    /// booking id follows from the Idempotency-Key) is the key used for a different request.
    /// </summary>
    public Booking? Existing(string country, BookingRequest request)
    {
        if (Find(request.BookingId) is not { } existing)
        {
            return null;
        }
        return existing.Country == country && existing.Escorts == request.Escorts && existing.Medical == request.Medical
            && existing.Monitors == request.Monitors && existing.Interpreters == request.Interpreters && existing.Observers == request.Observers
            && (state.PersonalDataErased || SameReturnees(existing, request))
            ? existing
            : throw new DomainRuleException(RuleCode.IdempotencyKeyReuse, "This Idempotency-Key was used for a different booking.");
    }

    /// <summary>
    /// The request names the booking's returnees, in order, and those who left it as no-shows (they leave its list after
    /// departure, so where they stood in it is not known) or were removed from it.
    /// </summary>
    private bool SameReturnees(Booking existing, BookingRequest request)
    {
        var noShows = state.NoShows.Where(n => n.BookingId == existing.Id).Select(n => n.ReturneeId)
            .Concat(existing.Removed ?? []).ToHashSet(StringComparer.Ordinal);
        return request.Returnees.Count == existing.Returnees.Count + noShows.Count
            && request.Returnees.Where(id => !noShows.Contains(id)).SequenceEqual(existing.Returnees.Select(r => r.Id));
    }

    /// <summary>The operation takes bookings: announced, and its booking deadline not yet reached.</summary>
    public void CheckOpen(DateTimeOffset now)
    {
        if (state.Status != OperationStatus.Announced || now >= Plan.BookingDeadline)
        {
            throw new DomainRuleException(RuleCode.BookingClosed, "The operation does not take bookings now.");
        }
    }

    /// <summary>The If-Match precondition: null is none; otherwise the revision the caller read must still be the current one.</summary>
    public void CheckRevision(long? expected)
    {
        if (expected is { } version && version != state.Revision)
        {
            throw new PreconditionFailedException(
                $"If-Match \"{version.ToString(CultureInfo.InvariantCulture)}\" does not match the current ETag \"{state.Revision.ToString(CultureInfo.InvariantCulture)}\".");
        }
    }

    /// <summary>
    /// Decides a booking for <paramref name="country"/> on its returnees' judgments (each held for it if it passed its own rules)
    /// and the members of their families: refused with every broken rule, or placed whole, confirmed if its seats are free now,
    /// else at the end of the waitlist (rule 11).
    /// </summary>
    public BookingDecision Book(string country, BookingRequest request, IReadOnlyList<Reservation> judged,
        IReadOnlyDictionary<string, IReadOnlyList<string>> families, DateTimeOffset now, long? expectedRevision)
    {
        CheckRevision(expectedRevision);
        CheckOpen(now);
        var booking = New(country, request);
        if (BookingRules.Check(Plan, state.EscortsPerReturnee, booking, judged, families) is { Count: > 0 } violations)
        {
            throw new DomainRuleException(violations);
        }
        if (Find(request.BookingId) is not null)
        {
            throw new InvalidOperationException($"Booking {request.BookingId} is decided already: ask Existing first.");
        }
        booking.Returnees = [.. judged.Select(r => new BookedReturnee
        {
            Id = r.ReturneeId,
            FamilyGroup = r.FamilyGroup,
            Forced = r.Forced,
            // The case's first country of return is its nationality (Reservation.CountriesOfReturn); BookingRules checked one is a destination.
            Nationality = r.CountriesOfReturn?.FirstOrDefault(),
            ReturnTo = r.CountriesOfReturn?.FirstOrDefault(c => Plan.Destinations.Contains(c, StringComparer.OrdinalIgnoreCase)),
        })];
        booking.Recount();
        booking.Sequence = ++state.NextSequence;
        state.Bookings.Add(booking);
        SeatAllocation.Place(booking, state.Bookings, Plan.SeatCapacity);
        if (booking.Status == BookingStatus.Confirmed)
        {
            state.ManifestVersion++;
        }
        state.Revision++;
        var view = View(booking, withReturnees: true);
        booking.Decided = new DecidedAnswer(booking.Status, booking.Sequence, booking.ReturneeCount, booking.ForcedCount);
        return new(view, Announce(booking, "booking." + booking.Status.ToString().ToLowerInvariant()));
    }

    /// <summary>Cancels a booking the caller's country holds; its seats go to the waitlist in the same decision.</summary>
    public BookingDecision Cancel(Booking booking, long? expectedRevision)
    {
        CheckRevision(expectedRevision);
        if (state.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"A booking cannot be cancelled once the operation is {state.Status}.");
        }
        var wasConfirmed = booking.Status == BookingStatus.Confirmed;
        booking.Status = BookingStatus.Cancelled;
        var notices = Announce(booking, "booking.cancelled");
        notices.AddRange(FreeSeats(wasConfirmed));
        state.Revision++;
        return new(View(booking, withReturnees: true), notices);
    }

    /// <summary>
    /// The returnees this operation holds, each with its booking: every returnee of a live booking until departure; after it,
    /// only those who travelled (confirmed, not suspended, not a no-show). A cancelled operation holds nobody. The grain writes
    /// these as rows with its state (<see cref="ReturneeHolds"/>), so holds follow every decision without a release to forget.
    /// </summary>
    public Dictionary<string, string> Holds()
    {
        var holds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (state.Status == OperationStatus.Cancelled)
        {
            return holds;
        }
        var departed = state.Status is OperationStatus.Departed or OperationStatus.Completed;
        foreach (var booking in state.Bookings.Where(b => b.Status != BookingStatus.Cancelled && (!departed || b.Status == BookingStatus.Confirmed)))
        {
            foreach (var returnee in booking.Returnees.Where(r => r.Id.Length > 0 && !(departed && r.Suspended)))
            {
                holds.TryAdd(returnee.Id, booking.Id);
            }
        }
        return holds;
    }

    /// <summary>The answer the booking's caller got when it was decided, for a retry of the same request.</summary>
    public static BookingView FirstAnswer(Booking booking) => booking.Decided is { } decided
        ? View(booking, withReturnees: true) with
        {
            Status = decided.Status, Sequence = decided.Sequence, ReturneeCount = decided.ReturneeCount, ForcedReturnees = decided.ForcedCount,
            Seats = checked(decided.ReturneeCount + booking.Escorts + booking.Medical + booking.Monitors + booking.Interpreters + booking.Observers),
            SuspendedReturneeCount = 0, SuspendedReturnees = [], NamedStaff = 0, Staff = [],
        }
        : View(booking, withReturnees: true);

    /// <summary>
    /// The bookings a caller sees, in arrival order: the organiser all of them, a coordinator its own country's; the returnees
    /// of its own country's only.
    /// </summary>
    public IReadOnlyList<BookingView> Visible(Caller caller, bool organiser) =>
        organiser || caller.Role == Caller.Coordinator
            ? [.. state.Bookings.Where(b => organiser || b.Country == caller.Country).OrderBy(b => b.Sequence)
                .Select(b => View(b, withReturnees: b.Country == caller.Country))]
            : throw new AccessDeniedException("Bookings are shown to coordinators.");

    /// <summary>A booking as a viewer sees it: with its returnee ids and staff only for its own country.</summary>
    public static BookingView View(Booking b, bool withReturnees) =>
        new(b.Id, b.Country, b.Status, b.Seats, b.Sequence, b.ReturneeCount, b.ForcedCount, withReturnees ? [.. b.Returnees.Select(r => r.Id)] : [],
            b.Escorts, b.Medical, b.Monitors, b.Interpreters, b.Observers,
            b.Returnees.Count(r => r.Suspended), withReturnees ? [.. b.Returnees.Where(r => r.Suspended).Select(r => r.Id)] : [],
            b.Staff.Count, withReturnees ? [.. b.Staff] : []);

    /// <summary>Seats came free: the waitlist moves up while the manifest is still open.</summary>
    private List<Notice> FreeSeats(bool confirmedSetChanged)
    {
        var promoted = state.Status is OperationStatus.Announced or OperationStatus.BookingClosed
            ? SeatAllocation.Promote(state.Bookings, Plan.SeatCapacity)
            : [];
        if (confirmedSetChanged || promoted.Count > 0)
        {
            state.ManifestVersion++;
        }
        return [.. promoted.SelectMany(booking => Announce(booking, "booking.promoted"))];
    }

    /// <summary>A booking's news: to its country, the organiser, and the secretariat's feed (counts and statuses only: rule 16).</summary>
    public List<Notice> Announce(Booking booking, string subject)
    {
        var body = new Notification(subject, BookingId: booking.Id, Country: booking.Country, Status: booking.Status.ToString(), Seats: booking.Seats);
        var notices = new List<Notice> { new(Destination.Country(booking.Country), body) };
        if (booking.Country != Plan.Organiser)
        {
            notices.Add(new(Destination.Country(Plan.Organiser), body));
        }
        notices.Add(new(Destination.Role(Caller.Secretariat), body));
        return notices;
    }

    private static Booking New(string country, BookingRequest request) => new()
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
}
