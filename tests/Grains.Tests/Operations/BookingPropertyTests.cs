using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Random sequences of book / cancel / suspend / reinstate from up to 20 countries, run against the real grain
/// and checked after every step against the rules and an independent model of the first-fit waitlist.
/// </summary>
public sealed class BookingPropertyTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private const int Capacity = 12;
    private static readonly string[] s_countries =
        ["AT", "HR", "CZ", "BE", "BG", "DE", "FR", "HU", "PL", "RO", "SK", "SI", "CH", "AL", "BA", "XK", "ME", "MK", "RS", "NL"];

    private int _runs;

    /// <summary>One step. <see cref="Target"/> picks an earlier booking by index (modulo their number).</summary>
    public sealed record Step(string Kind, int Country, int Forced, int Voluntary, bool Family, bool SplitFamily, bool TooFewEscorts, int ExtraStaff, int Target)
    {
        public override string ToString() => Kind == "book"
            ? $"book({s_countries[Country]}, forced {Forced}, voluntary {Voluntary}{(Family ? SplitFamily ? ", half a family" : ", family" : "")}{(TooFewEscorts ? ", too few escorts" : "")}, +{ExtraStaff})"
            : $"{Kind}(#{Target})";
    }

    private static readonly Gen<Step> s_step =
        from kind in Gen.Elements("book", "book", "book", "cancel", "suspend", "reinstate")
        from country in Gen.Choose(0, s_countries.Length - 1)
        from forced in Gen.Choose(0, 2)
        from voluntary in Gen.Choose(0, 2)
        from family in Gen.Elements(false, false, true)
        from split in Gen.Elements(false, false, false, true)
        from fewEscorts in Gen.Elements(false, false, false, false, true)
        from extra in Gen.Choose(0, 2)
        from target in Gen.Choose(0, 40)
        select new Step(kind, country, forced, voluntary, family, split, fewEscorts, extra, target);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Random_booking_sequences_keep_capacity_families_escort_ratio_and_waitlist_order(string provider)
    {
        await StartAsync(provider);
        // Shrinking drops one step at a time, so a failure is reported as a short sequence.
        var sequences = Arb.From(Gen.ListOf(s_step).Select(s => s.Take(25).ToArray()),
            steps => Enumerable.Range(0, steps.Length).Select(i => steps.Where((_, j) => j != i).ToArray()));
        var property = Prop.ForAll(sequences,
            steps => Task.Run(() => RunAsync(steps)).GetAwaiter().GetResult());

        // The rules are checked over 300 runs with no cluster (Decisions/OperationBookingsPropertyTests); here the same model
        // checks the grain's wiring: reservations, family members, the early warning's relay and reinstatement's judgments.
        // On PostgreSQL fewer runs: each write is a round trip to a server, and what the provider adds (its SQL, its
        // transactions) is exercised by every step of any run, not by more random sequences.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(provider == "Postgres" ? 4 : 10).WithQuietOnSuccess(true), property);
    }

    private async Task RunAsync(Step[] steps)
    {
        var run = Interlocked.Increment(ref _runs);
        var operation = await AnnouncedAsync(Plan(capacity: Capacity), id: $"prop-{run}");
        var model = new List<ModelBooking>();
        var families = new Dictionary<string, List<string>>();
        long sequence = 0;
        foreach (var (step, index) in steps.Select((s, i) => (s, i)))
        {
            var target = model.Count == 0 ? null : model[step.Target % model.Count];
            switch (step.Kind)
            {
                case "book":
                    var booked = await BookAsync(operation, step, $"p{run}-{index}", families);
                    if (booked is not null)
                    {
                        booked.Sequence = ++sequence;
                        booked.Status = booked.Seats <= Free(model) ? BookingStatus.Confirmed : BookingStatus.Waitlisted;
                        model.Add(booked);
                    }
                    break;
                case "cancel" when target is not null && target.Status != BookingStatus.Cancelled:
                    await operation.CancelBooking(Caller.CoordinatorOf(target.Country), target.Id);
                    target.Status = BookingStatus.Cancelled;
                    Promote(model);
                    break;
                case "suspend" when target is { Status: BookingStatus.Confirmed or BookingStatus.Waitlisted } && target.Travelling.Any():
                    // Rule 2 suspends the returnee's seat and its family's (rule 4), not the booking's other seats.
                    var ineligible = target.Travelling.First();
                    await Grains.UpdateReturneeAsync(ineligible, target.Country, await CaseOf(ineligible) with { AppealPending = true, AppealSuspensive = true });
                    var family = families.Values.FirstOrDefault(f => f.Contains(ineligible)) ?? [ineligible];
                    target.Suspended.UnionWith(family.Where(target.Returnees.Contains));
                    if (!target.Travelling.Any())
                    {
                        target.Status = BookingStatus.Suspended;
                    }
                    Promote(model);
                    break;
                case "reinstate" when target is not null && target.Status != BookingStatus.Cancelled && target.Suspended.Count > 0:
                    foreach (var suspended in target.Suspended)
                    {
                        await Grains.UpdateReturneeAsync(suspended, target.Country, await CaseOf(suspended) with { AppealPending = false, AppealSuspensive = false });
                    }
                    if (target.Status == BookingStatus.Confirmed && target.Suspended.Count > Free(model))
                    {
                        // Their seats went to others meanwhile: refused, and the returnees stay suspended.
                        Assert.Contains(RuleCode.Capacity, await RulesOf(() => operation.ReinstateBooking(Caller.CoordinatorOf(target.Country), target.Id)));
                        break;
                    }
                    await operation.ReinstateBooking(Caller.CoordinatorOf(target.Country), target.Id);
                    target.Suspended.Clear();
                    if (target.Status == BookingStatus.Suspended)
                    {
                        target.Sequence = ++sequence;
                        target.Status = target.Seats <= Free(model) ? BookingStatus.Confirmed : BookingStatus.Waitlisted;
                    }
                    break;
            }
            await AssertInvariants(operation, model, families, steps[..(index + 1)]);
        }
    }

    /// <summary>Books fresh returnees; returns the model booking, or null when the grain rightly refused it.</summary>
    private async Task<ModelBooking?> BookAsync(IReturnOperationGrain operation, Step step, string bookingId, Dictionary<string, List<string>> families)
    {
        var country = s_countries[step.Country];
        var returnees = new List<string>();
        string? family = null;
        for (var i = 0; i < step.Forced; i++)
        {
            returnees.Add(await Returnee(country));
        }
        for (var i = 0; i < step.Voluntary; i++)
        {
            returnees.Add(await Returnee(country, c => c with { Voluntary = true }));
        }
        var familyMembers = new List<string>();
        if (step.Family)
        {
            family = bookingId + "-family";
            familyMembers.Add(await Returnee(country, c => c with { FamilyGroup = family }));
            familyMembers.Add(await Returnee(country, c => c with { FamilyGroup = family }));
            families[family] = familyMembers;
            returnees.InsertRange(0, step.SplitFamily ? familyMembers.Take(1) : familyMembers);
        }
        var forced = returnees.Count - step.Voluntary;
        var escorts = 2 * forced - (step.TooFewEscorts && forced > 0 ? 1 : 0);
        var request = new BookingRequest(bookingId, returnees, escorts, Medical: returnees.Count == 0 ? 1 : 0, Observers: step.ExtraStaff);
        var seats = returnees.Count + escorts + request.Medical + step.ExtraStaff;
        var refusal = (step.Family && step.SplitFamily) ? RuleCode.FamilyUnity
            : step.TooFewEscorts && forced > 0 ? RuleCode.EscortRatio
            : seats > Capacity ? RuleCode.Capacity
            : null;
        if (refusal is not null)
        {
            Assert.Contains(refusal, await RulesOf(() => operation.RequestBooking(Caller.CoordinatorOf(country), request)));
            // Each returnee was judged and reserved in one call; the booking's own rules refused it, so none stays held.
            foreach (var returnee in returnees)
            {
                Assert.Null((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Booking);
            }
            return null;
        }
        await operation.RequestBooking(Caller.CoordinatorOf(country), request);
        return new ModelBooking(bookingId, country, seats - returnees.Count, returnees);
    }

    private static async Task AssertInvariants(IReturnOperationGrain operation, List<ModelBooking> model, Dictionary<string, List<string>> families, Step[] so)
    {
        var bookings = await operation.GetBookings(Caller.CoordinatorOf("AT"));
        var seen = string.Join(" ", so.Select(s => s.ToString()));
        var confirmed = bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        Assert.True(confirmed.Sum(b => b.Seats) <= Capacity, "capacity exceeded after " + seen);
        foreach (var booking in confirmed)
        {
            Assert.True(booking.Escorts >= 2 * booking.ForcedReturnees, $"escort ratio broken by {booking.Id} after {seen}");
        }
        foreach (var expected in model)
        {
            var actual = bookings.Single(b => b.Id == expected.Id);
            Assert.True(expected.Status == actual.Status, $"{expected.Id}: expected {expected.Status}, was {actual.Status} after {seen}");
            Assert.True(expected.Suspended.Count == actual.SuspendedReturneeCount, $"{expected.Id}: suspended returnees differ after {seen}");
            if (expected.Status is BookingStatus.Confirmed or BookingStatus.Waitlisted)
            {
                Assert.True(expected.Seats == actual.Seats, $"{expected.Id}: expected {expected.Seats} seats, was {actual.Seats} after {seen}");
            }
        }
        // Waitlist order: no waitlisted booking fits the free seats (first fit ran in arrival order, matched by the model above).
        var free = Capacity - confirmed.Sum(b => b.Seats);
        Assert.All(bookings.Where(b => b.Status == BookingStatus.Waitlisted), b => Assert.True(b.Seats > free, "a waitlisted booking fits: " + seen));
        // Family unity: a family's members are all in one live booking, or in none.
        var holders = model.Where(b => b.Status != BookingStatus.Cancelled).ToList();
        foreach (var (name, members) in families)
        {
            var holding = members.Select(m => holders.Find(b => b.Returnees.Contains(m))?.Id).Distinct().ToList();
            Assert.True(holding.Count == 1, $"family {name} split across {string.Join(",", holding)} after {seen}");
        }
    }

    private async Task<ReturneeCase> CaseOf(string returnee) => (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case!;

    private static int Free(List<ModelBooking> model) => Capacity - model.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats);

    private static void Promote(List<ModelBooking> model)
    {
        foreach (var waiting in model.Where(b => b.Status == BookingStatus.Waitlisted).OrderBy(b => b.Sequence))
        {
            if (waiting.Seats <= Free(model))
            {
                waiting.Status = BookingStatus.Confirmed;
            }
        }
    }

    private sealed class ModelBooking(string id, string country, int staff, List<string> returnees)
    {
        public string Id { get; } = id;
        public string Country { get; } = country;
        public List<string> Returnees { get; } = returnees;
        public HashSet<string> Suspended { get; } = [];
        public IEnumerable<string> Travelling => Returnees.Where(r => !Suspended.Contains(r));

        /// <summary>Seats held while confirmed: travelling returnees and all staff (rule 11).</summary>
        public int Seats => Travelling.Count() + staff;
        public long Sequence { get; set; }
        public BookingStatus Status { get; set; }
    }
}
