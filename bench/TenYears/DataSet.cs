using ReturnOps.Grains;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;

namespace ReturnOps.TenYears;

/// <summary>One case as generated: its owner and state, exactly what a returnee grain holds.</summary>
public sealed record GeneratedCase(string Id, string Owner, ReturneeState State, DateTimeOffset WrittenAt);

/// <summary>One operation as generated: the state an operation grain holds.</summary>
public sealed record GeneratedOperation(string Id, ReturnOperationState State, DateTimeOffset WrittenAt);

/// <summary>
/// Ten years of history (domain.md, "Sizes"): about 300 operations a year, median 2 booking states and 36 returnees per
/// operation, and 500,000 cases, most never booked. States are weighted so that Germany holds about a fifth of the cases
/// (97,000 in the data) and Slovenia about 3 %. Deterministic: the same seed gives the same rows.
/// Cases booked on operations that ended before retention ran are erased, as the retention reminder would leave them.
/// </summary>
public sealed class DataSet
{
    public static readonly DateTimeOffset Start = new(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // JCP participants (domain.md) and their share of cases, in per mille.
    private static readonly (string Code, int Weight)[] s_states =
    [
        ("DE", 195), ("FR", 120), ("AT", 80), ("BE", 60), ("CH", 55), ("PL", 45), ("HU", 40), ("CZ", 35), ("HR", 40), ("RO", 35),
        ("BG", 35), ("SK", 30), ("SI", 30), ("AL", 40), ("RS", 45), ("BA", 40), ("ME", 25), ("MK", 25), ("XK", 25),
    ];

    private static readonly string[] s_destinations = ["AL", "RS", "XK", "BA", "MK", "ME", "GE", "NG", "PK", "TN", "MA", "IQ"];
    private static readonly string[] s_airports = ["VIE", "FRA", "CDG", "BRU", "ZRH", "WAW", "BUD", "PRG", "ZAG", "OTP", "SOF", "BTS", "LJU"];
    private static readonly OperationType[] s_types = [OperationType.Joint, OperationType.Joint, OperationType.National, OperationType.Collecting, OperationType.ScheduledFlight, OperationType.VoluntaryCharter];

    public List<GeneratedCase> Cases { get; } = [];
    public List<GeneratedOperation> Operations { get; } = [];

    public static DataSet Build(int operations, int cases, int seed = 16)
    {
        var random = new Random(seed);
        var set = new DataSet();
        var span = Now - Start;
        for (var i = 0; i < operations; i++)
        {
            // Departures spread over the ten years; the last ~2 % are still ahead of "now".
            var departure = Start + span * (1.02 * i / operations) + TimeSpan.FromHours(random.Next(0, 24));
            set.Operations.Add(set.NewOperation(random, departure));
        }
        var unbooked = cases - set.Cases.Count;
        for (var i = 0; i < unbooked; i++)
        {
            var created = Start + span * random.NextDouble();
            set.Cases.Add(NewCase(random, Pick(random), created, booking: null, bookedFor: null, erased: random.Next(100) < 2, out _));
        }
        return set;
    }

    private GeneratedOperation NewOperation(Random random, DateTimeOffset departure)
    {
        var id = "op-" + Guid.CreateVersion7(departure.AddDays(-60)).ToString("N");
        var type = s_types[random.Next(s_types.Length)];
        var organiser = Pick(random);
        var destinations = s_destinations.OrderBy(_ => random.Next()).Take(random.Next(100) < 34 ? 2 : 1).ToList();
        var legs = new List<Leg> { new(s_airports[random.Next(s_airports.Length)], "TIA", departure) };
        var status = departure > Now ? (random.Next(2) == 0 ? OperationStatus.Announced : OperationStatus.Confirmed)
            : random.Next(100) < 3 ? OperationStatus.Cancelled : OperationStatus.Completed;
        var state = new ReturnOperationState
        {
            Plan = new OperationPlan(type, organiser, destinations, legs, 200, departure.AddDays(-10)),
            EscortsPerReturnee = 2,
            Status = status,
            AssignedMonitors = random.Next(100) < 70 ? ["monitor-" + random.Next(40)] : [],
            Incidents = random.Next(100) < 5 ? 1 : 0,
        };
        var ended = status is OperationStatus.Completed or OperationStatus.Cancelled;
        var participants = new[] { organiser }.Concat(s_states.Select(s => s.Code).Where(c => c != organiser).OrderBy(_ => random.Next()).Take(random.Next(0, 3))).ToList();
        foreach (var country in participants)
        {
            var count = Math.Clamp((int)(random.Next(4, 32) * (country == organiser ? 1.5 : 0.6)), 1, 40);
            var booking = new Booking
            {
                Id = "bk-" + Guid.CreateVersion7(departure.AddDays(-30)).ToString("N"),
                Country = country,
                Status = BookingStatus.Confirmed,
                Sequence = ++state.NextSequence,
                Escorts = type == OperationType.VoluntaryCharter ? 0 : 2 * count,
                Medical = random.Next(0, 3),
            };
            for (var k = 0; k < count; k++)
            {
                var caseId = NewCase(random, country, departure.AddDays(-random.Next(30, 400)), new BookingRef(id, booking.Id),
                    new EligibilityContext(departure, destinations, GrainsOptions.DefaultFitToTravelWindowDays), erased: ended, out var nationality);
                Cases.Add(caseId);
                // As the grain books it: the case's citizenship and the destination it returns to (its nationality, rule 21).
                booking.Returnees.Add(new BookedReturnee { Id = caseId.Id, Forced = type != OperationType.VoluntaryCharter, Nationality = nationality, ReturnTo = nationality });
            }
            booking.Recount();
            state.Bookings.Add(booking);
        }
        state.PersonalDataErased = ended;
        state.EndedAt = ended ? departure.AddDays(1) : null;
        return new GeneratedOperation(id, state, ended ? departure.AddDays(12) : departure.AddDays(-20));
    }

    private static GeneratedCase NewCase(Random random, string owner, DateTimeOffset created, BookingRef? booking, EligibilityContext? bookedFor, bool erased,
        out string nationality)
    {
        var id = "rt-" + Guid.CreateVersion7(created).ToString("N");
        // Rule 21: a booked case returns to one of its operation's destinations (one draw either way, so the rest of the set is unchanged).
        IReadOnlyList<string> countries = bookedFor?.Destinations ?? s_destinations;
        nationality = countries[random.Next(countries.Count)];
        // About one in twelve open cases has a suspensive appeal pending: ineligible until it is decided.
        var appeal = booking is null && random.Next(12) == 0;
        var state = new ReturneeState
        {
            Owner = owner,
            Erased = erased,
            Case = erased ? null : new ReturneeCase($"{owner}-{created.Year}-{random.Next(1_000_000):D6}", nationality, random.Next(1950, 2008),
                random.Next(2) == 0 ? "M" : "F", null, false, null, true, appeal, appeal, true, new DateOnly(2036, 12, 31), false, null, [], false),
            Booking = erased ? null : booking,
            BookedFor = erased ? null : bookedFor,
        };
        return new GeneratedCase(id, owner, state, erased ? created.AddDays(400) : created);
    }

    private static string Pick(Random random)
    {
        var roll = random.Next(s_states.Sum(s => s.Weight));
        foreach (var (code, weight) in s_states)
        {
            if ((roll -= weight) < 0)
            {
                return code;
            }
        }
        return s_states[^1].Code;
    }

    /// <summary>The status a returnee grain writes for <paramref name="state"/> (ReturneeGrain.Status, judged today).</summary>
    public static ReturneeStatus StatusOf(ReturneeState state) =>
        state.Erased ? ReturneeStatus.Erased
        : state.Booking is not null ? ReturneeStatus.Booked
        : Eligibility.Check(state.Case!, new EligibilityContext(TimeProvider.System.GetUtcNow(), [], GrainsOptions.DefaultFitToTravelWindowDays), state.Readmission).Count > 0
            ? ReturneeStatus.Ineligible : ReturneeStatus.Available;
}
