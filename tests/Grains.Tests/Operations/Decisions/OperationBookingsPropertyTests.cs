using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Random sequences of book / cancel / suspend / reinstate from up to 20 countries, decided by <see cref="OperationBookings"/>
/// with no cluster and checked after every step against an independent model of the first-fit waitlist: never overbooked,
/// families together, first fit in decision order, a refused decision changes nothing, and the runs confirm bookings.
/// </summary>
public sealed class OperationBookingsPropertyTests
{
    private const int Capacity = 12;
    private static readonly string[] s_countries =
        ["AT", "HR", "CZ", "BE", "BG", "DE", "FR", "HU", "PL", "RO", "SK", "SI", "CH", "AL", "BA", "XK", "ME", "MK", "RS", "NL"];

    private static readonly RuleViolation s_appeal = new(RuleCode.SuspensiveAppeal, "an appeal with suspensive effect is pending");

    private int _confirmed;
    private int _refused;

    /// <summary>One step. <see cref="Target"/> picks an earlier booking by index (modulo their number), <see cref="Stale"/> sends an old If-Match.</summary>
    public sealed record Step(string Kind, int Country, int Forced, int Voluntary, bool Family, bool SplitFamily, bool TooFewEscorts, int ExtraStaff,
        bool Ineligible, bool Late, bool Stale, int Target)
    {
        public override string ToString() => Kind == "book"
            ? $"book({s_countries[Country]}, forced {Forced}, voluntary {Voluntary}{(Family ? SplitFamily ? ", half a family" : ", family" : "")}"
                + $"{(TooFewEscorts ? ", too few escorts" : "")}{(Ineligible ? ", one ineligible" : "")}{(Late ? ", at the deadline" : "")}{(Stale ? ", stale" : "")}, +{ExtraStaff})"
            : $"{Kind}(#{Target}{(Stale ? ", stale" : "")})";
    }

    private static readonly Gen<Step> s_step =
        from kind in Gen.Elements("book", "book", "book", "cancel", "suspend", "suspend", "reinstate", "reinstate")
        from country in Gen.Choose(0, s_countries.Length - 1)
        from forced in Gen.Choose(0, 2)
        from voluntary in Gen.Choose(0, 2)
        from family in Gen.Elements(false, false, true)
        from split in Gen.Elements(false, false, false, true)
        from fewEscorts in Gen.Elements(false, false, false, false, true)
        from extra in Gen.Choose(0, 2)
        from ineligible in Gen.Elements(false, false, false, false, false, true)
        from late in Gen.Elements(false, false, false, false, false, false, false, false, false, true)
        from stale in Gen.Elements(false, false, false, false, false, false, false, false, false, true)
        from target in Gen.Choose(0, 40)
        select new Step(kind, country, forced, voluntary, family, split, fewEscorts, extra, ineligible, late, stale, target);

    [Fact]
    public void Random_decisions_never_overbook_keep_families_together_fill_first_fit_and_refusals_change_nothing()
    {
        // Shrinking drops one step at a time, so a failure is reported as a short sequence.
        var sequences = Arb.From(Gen.ListOf(s_step).Select(s => s.Take(30).ToArray()),
            steps => Enumerable.Range(0, steps.Length).Select(i => steps.Where((_, j) => j != i).ToArray()));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), Prop.ForAll(sequences, Run));

        // A do-nothing decider fails the model; this says that the runs exercised both sides.
        Assert.True(_confirmed > 300, $"only {_confirmed} bookings were confirmed in 300 runs");
        Assert.True(_refused > 100, $"only {_refused} decisions were refused in 300 runs");
    }

    private void Run(Step[] steps)
    {
        var operation = new AnnouncedOperation(capacity: Capacity);
        var model = new List<ModelBooking>();
        var families = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        long sequence = 0;
        foreach (var (step, index) in steps.Select((s, i) => (s, i)))
        {
            var seen = string.Join(" ", steps[..(index + 1)].Select(s => s.ToString()));
            var target = model.Count == 0 ? null : model[step.Target % model.Count];
            var before = operation.Fingerprint();
            var (revision, manifestVersion, manifest) = (operation.State.Revision, operation.State.ManifestVersion, Manifest(model));
            var ifMatch = step.Stale && revision > 0 ? revision - 1 : (long?)null;
            bool accepted;
            switch (step.Kind)
            {
                case "book":
                    accepted = Book(operation, step, $"b{index}", ifMatch, model, families, ref sequence, seen);
                    break;
                case "cancel" when target is not null && target.Status != BookingStatus.Cancelled:
                    accepted = Decide(ifMatch, () => operation.Cancel(target.Id, ifMatch), [], seen);
                    if (accepted)
                    {
                        target.Status = BookingStatus.Cancelled;
                        Promote(model);
                    }
                    break;
                case "suspend" when target is not null:
                    accepted = Suspend(operation, target, step.Forced, families, model, seen);
                    break;
                case "reinstate" when target is not null && target.Suspended.Count > 0:
                    string[] refusal = target.Status == BookingStatus.Cancelled ? [RuleCode.InvalidTransition]
                        : target.Status == BookingStatus.Confirmed && target.Suspended.Count > Free(model) ? [RuleCode.Capacity]
                        : [];
                    accepted = Decide(ifMatch, () => operation.Reinstate(target.Id, ifMatch: ifMatch), refusal, seen);
                    if (accepted)
                    {
                        target.Suspended.Clear();
                        if (target.Status == BookingStatus.Suspended)
                        {
                            target.Sequence = ++sequence;
                            target.Status = target.Seats <= Free(model) ? BookingStatus.Confirmed : BookingStatus.Waitlisted;
                        }
                    }
                    break;
                default:
                    continue;
            }
            if (accepted)
            {
                Assert.True(revision + 1 == operation.State.Revision, "an accepted decision moves the revision by one: " + seen);
                var expectedVersion = manifest == Manifest(model) ? manifestVersion : manifestVersion + 1;
                Assert.True(expectedVersion == operation.State.ManifestVersion, $"manifest version {operation.State.ManifestVersion}, expected {expectedVersion}: {seen}");
            }
            else
            {
                Interlocked.Increment(ref _refused);
                Assert.True(before == operation.Fingerprint(), "a refused decision changed the operation: " + seen);
            }
            AssertInvariants(operation, model, families, seen);
        }
        Interlocked.Add(ref _confirmed, operation.State.Bookings.Count(b => b.Status == BookingStatus.Confirmed));
    }

    /// <summary>Books fresh returnees; the model says whether the decision must refuse, and which rules it names.</summary>
    private static bool Book(AnnouncedOperation operation, Step step, string bookingId, long? ifMatch, List<ModelBooking> model,
        Dictionary<string, List<string>> families, ref long sequence, string seen)
    {
        var country = s_countries[step.Country];
        var judged = new List<Reservation>();
        judged.AddRange(Enumerable.Range(0, step.Forced).Select(i => Judged.Forced(country, $"{bookingId}-f{i}")));
        judged.AddRange(Enumerable.Range(0, step.Voluntary).Select(i => Judged.Voluntary(country, $"{bookingId}-v{i}")));
        var registered = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var family = bookingId + "-family";
        if (step.Family)
        {
            Reservation[] members = [Judged.Forced(country, $"{bookingId}-parent", family), Judged.Voluntary(country, $"{bookingId}-child", family)];
            registered[family] = [.. members.Select(m => m.ReturneeId)];
            judged.InsertRange(0, step.SplitFamily ? members.Take(1) : members);
        }
        if (step.Ineligible && judged.Count > 0)
        {
            judged[^1] = judged[^1] with { Reserved = false, Violations = [s_appeal] };
        }
        var forced = judged.Count(r => r.Forced);
        var escorts = 2 * forced - (step.TooFewEscorts && forced > 0 ? 1 : 0);
        var medical = judged.Count == 0 ? 1 : 0;
        var seats = judged.Count + escorts + medical + step.ExtraStaff;
        var request = new BookingRequest(bookingId, [.. judged.Select(r => r.ReturneeId)], escorts, medical, Observers: step.ExtraStaff);
        string[] refusal = step.Late ? [RuleCode.BookingClosed] : [..
            new[]
            {
                step.Family && step.SplitFamily ? RuleCode.FamilyUnity : null,
                step.Ineligible && judged.Count > 0 ? RuleCode.SuspensiveAppeal : null,
                step.TooFewEscorts && forced > 0 ? RuleCode.EscortRatio : null,
                seats > Capacity ? RuleCode.Capacity : null,
            }.OfType<string>()];
        var at = step.Late ? AnnouncedOperation.Deadline : AnnouncedOperation.Now;
        BookingDecision? decision = null;
        if (!Decide(ifMatch, () => decision = operation.Bookings.Book(country, request, judged, registered, at, ifMatch), refusal, seen))
        {
            return false;
        }
        var booked = new ModelBooking(bookingId, seats - judged.Count, [.. judged.Select(r => (r.ReturneeId, r.FamilyGroup))])
        {
            Sequence = ++sequence,
        };
        booked.Status = seats <= Free(model) ? BookingStatus.Confirmed : BookingStatus.Waitlisted;
        model.Add(booked);
        if (step.Family)
        {
            families[family] = [.. registered[family]];
        }
        Assert.True(decision!.Booking.Status == booked.Status, $"{bookingId}: expected {booked.Status}, decided {decision.Booking.Status}: {seen}");
        return true;
    }

    /// <summary>
    /// Rule 2 on the returnee picked by <paramref name="pick"/>: its seat and its family's in the booking; a booking left with nobody
    /// is suspended whole. A returnee holding no seat (cancelled, suspended already) changes nothing.
    /// </summary>
    private static bool Suspend(AnnouncedOperation operation, ModelBooking target, int pick, Dictionary<string, List<string>> families,
        List<ModelBooking> model, string seen)
    {
        var travelling = target.Status is BookingStatus.Confirmed or BookingStatus.Waitlisted ? target.Travelling.ToList() : [];
        var returnee = target.Returnees.Count == 0 ? null : target.Returnees[pick % target.Returnees.Count].Id;
        var decision = returnee is null ? null : operation.Suspend(returnee);
        if (returnee is null || !travelling.Contains(returnee))
        {
            Assert.True(decision is null, $"suspending {returnee}, who holds no seat, decided something: {seen}");
            return false;
        }
        Assert.True(decision is not null, $"suspending {returnee} decided nothing: {seen}");
        var family = families.Values.FirstOrDefault(f => f.Contains(returnee)) ?? [returnee];
        target.Suspended.UnionWith(family.Where(travelling.Contains));
        if (!target.Travelling.Any())
        {
            target.Status = BookingStatus.Suspended;
        }
        Promote(model);
        return true;
    }

    /// <summary>Takes a decision the model expects to be refused with <paramref name="refusal"/> (or, with a stale If-Match, with 412), or accepted.</summary>
    private static bool Decide(long? staleIfMatch, Action decision, string[] refusal, string seen)
    {
        if (staleIfMatch is not null)
        {
            Assert.Throws<PreconditionFailedException>(decision);
            return false;
        }
        if (refusal.Length == 0)
        {
            decision();
            return true;
        }
        var rules = Assert.Throws<DomainRuleException>(decision).Violations.Select(v => v.Rule).ToHashSet();
        Assert.True(rules.SetEquals(refusal), $"refused with {string.Join(",", rules)}, expected {string.Join(",", refusal)}: {seen}");
        return false;
    }

    private static void AssertInvariants(AnnouncedOperation operation, List<ModelBooking> model, Dictionary<string, List<string>> families, string seen)
    {
        var bookings = operation.State.Bookings;
        var confirmedSeats = operation.ConfirmedSeats;
        Assert.True(confirmedSeats <= Capacity, $"{confirmedSeats} seats confirmed of {Capacity}: {seen}");
        Assert.True(bookings.Count == model.Count, $"{bookings.Count} bookings, the model has {model.Count}: {seen}");
        foreach (var expected in model)
        {
            var actual = operation.Booking(expected.Id);
            Assert.True((expected.Status, expected.Sequence) == (actual.Status, actual.Sequence),
                $"{expected.Id}: expected {expected.Status} #{expected.Sequence}, was {actual.Status} #{actual.Sequence}: {seen}");
            Assert.True(expected.Suspended.SetEquals(actual.Returnees.Where(r => r.Suspended).Select(r => r.Id)), $"{expected.Id}: suspended returnees differ: {seen}");
            Assert.True(expected.Status is not (BookingStatus.Confirmed or BookingStatus.Waitlisted) || expected.Seats == actual.Seats,
                $"{expected.Id}: expected {expected.Seats} seats, was {actual.Seats}: {seen}");
        }
        // First fit: freed seats went to the waitlist, so no waiting booking fits the seats still free.
        Assert.All(bookings.Where(b => b.Status == BookingStatus.Waitlisted),
            b => Assert.True(b.Seats > Capacity - confirmedSeats, $"{b.Id} waits with {b.Seats} seats while {Capacity - confirmedSeats} are free: {seen}"));
        // Family unity: a family is in one live booking or none, and travels or is suspended as one.
        foreach (var (name, members) in families)
        {
            var holding = bookings.Where(b => b.Status != BookingStatus.Cancelled && b.Returnees.Any(r => members.Contains(r.Id))).ToList();
            Assert.True(holding.Count <= 1, $"family {name} is in {holding.Count} live bookings: {seen}");
            if (holding.Count == 0)
            {
                continue;
            }
            var suspended = holding[0].Returnees.Where(r => members.Contains(r.Id)).Select(r => r.Suspended).ToList();
            Assert.True(suspended.Count == members.Count && suspended.Distinct().Count() == 1, $"family {name} is split in {holding[0].Id}: {seen}");
        }
    }

    /// <summary>Who is on the manifest: the confirmed bookings and their travelling returnees.</summary>
    private static string Manifest(List<ModelBooking> model) => string.Join(";", model.Where(b => b.Status == BookingStatus.Confirmed)
        .OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => $"{b.Id}:{string.Join(",", b.Travelling)}"));

    private static int Free(List<ModelBooking> model) => Capacity - model.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats);

    /// <summary>Freed seats go to waiting bookings in arrival order, each taken if it fits.</summary>
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

    private sealed class ModelBooking(string id, int staff, List<(string Id, string? Family)> returnees)
    {
        public string Id { get; } = id;
        public List<(string Id, string? Family)> Returnees { get; } = returnees;
        public HashSet<string> Suspended { get; } = new(StringComparer.Ordinal);
        public IEnumerable<string> Travelling => Returnees.Select(r => r.Id).Where(r => !Suspended.Contains(r));

        /// <summary>Seats held while confirmed: travelling returnees and all staff (rule 11).</summary>
        public int Seats => Travelling.Count() + staff;
        public long Sequence { get; set; }
        public BookingStatus Status { get; set; }
    }
}
