using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// An operation's state and the decisions over it, with no grain, no cluster and no database: what the grain hands
/// <see cref="OperationBookings"/> after gathering the returnees' judgments, fed here directly.
/// </summary>
internal sealed class AnnouncedOperation
{
    public const string Id = "op-1";

    /// <summary>The one clock of these tests: every decision is taken at this instant unless a test says otherwise.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Deadline = Now.AddDays(10);

    public AnnouncedOperation(int capacity = 50, OperationType type = OperationType.Joint, string organiser = "AT",
        IReadOnlyList<string>? destinations = null, decimal escortsPerReturnee = EscortRatio.Default, bool organiserSuppliesEscorts = false)
    {
        var departure = Deadline.AddDays(2);
        State = new ReturnOperationState
        {
            Plan = new OperationPlan(type, organiser, destinations ?? ["NG"], [new Leg("VIE", "LOS", departure)], capacity, Deadline,
                escortsPerReturnee, organiserSuppliesEscorts),
            EscortsPerReturnee = escortsPerReturnee,
            Status = OperationStatus.Announced,
        };
        Bookings = new OperationBookings(Id, State);
    }

    public ReturnOperationState State { get; }

    public OperationBookings Bookings { get; }

    public OperationPlan Plan => State.Plan!;

    public BookingDecision Book(string country, string bookingId, IReadOnlyList<Reservation> returnees, int escorts = 0, int medical = 0,
        int monitors = 0, int interpreters = 0, int observers = 0, IReadOnlyDictionary<string, IReadOnlyList<string>>? families = null,
        DateTimeOffset? at = null, long? ifMatch = null) =>
        Bookings.Book(country, new BookingRequest(bookingId, [.. returnees.Select(r => r.ReturneeId)], escorts, medical, monitors, interpreters, observers),
            returnees, families ?? FamiliesOf(returnees), at ?? Now, ifMatch);

    public BookingDecision Cancel(string bookingId, long? ifMatch = null) => Bookings.Cancel(Booking(bookingId), ifMatch);

    public BookingDecision Remove(string bookingId, string returneeId, long? ifMatch = null) => Bookings.Remove(Booking(bookingId), returneeId, ifMatch).Decision;

    public BookingDecision? Suspend(string returneeId, params string[] rules) =>
        Bookings.Suspend(returneeId, rules.Length == 0 ? [RuleCode.SuspensiveAppeal] : rules);

    /// <summary>Reinstates with each suspended returnee judged eligible again, as it was booked (forced or not), unless told otherwise.</summary>
    public BookingDecision Reinstate(string bookingId, IReadOnlyList<Reservation>? judged = null, long? ifMatch = null)
    {
        var booking = Booking(bookingId);
        judged ??= [.. booking.Returnees.Where(r => r.Suspended)
            .Select(r => new Reservation(r.Id, true, [], booking.Country, r.FamilyGroup, r.Forced, Plan.Destinations))];
        return Bookings.Reinstate(booking, judged, ifMatch);
    }

    public Booking Booking(string bookingId) => Bookings.Find(bookingId) ?? throw new InvalidOperationException($"No booking {bookingId}.");

    public BookingStatus StatusOf(string bookingId) => Booking(bookingId).Status;

    public int ConfirmedSeats => State.Bookings.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats);

    /// <summary>Asserts that <paramref name="decision"/> is refused with a broken rule and changes nothing.</summary>
    public DomainRuleException Refuses(Action decision)
    {
        var before = Fingerprint();
        var refused = Assert.Throws<DomainRuleException>(decision);
        Assert.Equal(before, Fingerprint());
        return refused;
    }

    /// <summary>The codes of the rules <paramref name="decision"/> broke; it changed nothing.</summary>
    public IReadOnlyList<string> RulesBrokenBy(Action decision) => [.. Refuses(decision).Violations.Select(v => v.Rule)];

    /// <summary>Everything a decision may change, as one comparable value: a refused decision must leave it equal.</summary>
    public string Fingerprint() =>
        $"rev {State.Revision} seq {State.NextSequence} manifest {State.ManifestVersion} suspensions {State.Suspensions}; "
        + string.Join("; ", State.Bookings.Select(b =>
            $"{b.Id} {b.Country} {b.Status} #{b.Sequence} {b.ReturneeCount}/{b.ForcedCount} staff {b.Escorts},{b.Medical},{b.Monitors},{b.Interpreters},{b.Observers} "
            + $"[{string.Join(",", b.Returnees.Select(r => $"{r.Id}{(r.Forced ? "!" : "")}{(r.Suspended ? "~" : "")}"))}] {b.Decided}"));

    /// <summary>Each family group the judgments name, with the members that travel in it (as the family grain would list them).</summary>
    private static Dictionary<string, IReadOnlyList<string>> FamiliesOf(IReadOnlyList<Reservation> returnees) =>
        returnees.Where(r => r.FamilyGroup is not null).GroupBy(r => r.FamilyGroup!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.ReturneeId)], StringComparer.Ordinal);
}

/// <summary>Returnees as the returnee grain judges them at booking (<see cref="Reservation"/>): held, or not with the rules they break.</summary>
internal static class Judged
{
    public static Reservation Forced(string country, string id, string? family = null, IReadOnlyList<string>? countriesOfReturn = null) =>
        new(id, true, [], country, family, true, countriesOfReturn ?? ["NG"]);

    public static Reservation Voluntary(string country, string id, string? family = null, IReadOnlyList<string>? countriesOfReturn = null) =>
        new(id, true, [], country, family, false, countriesOfReturn ?? ["NG"]);

    public static Reservation Ineligible(string country, string id, params RuleViolation[] violations) =>
        new(id, false, violations, country, null, true, ["NG"]);
}
