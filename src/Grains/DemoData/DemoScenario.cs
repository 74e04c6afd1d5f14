using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.DemoData;

/// <summary>
/// A deterministic scenario for the README's run command: the JCP participants, agreements, a few hundred
/// returnees and operations in every lifecycle state (staff named where confirmed, one no-show on the completed
/// one). Every id is fixed and every grain call idempotent, so seeding twice (or after a restart) changes nothing.
/// Times are relative to the clock at seeding.
/// </summary>
public static class DemoScenario
{
    public const int ReturneesPerCountry = 25;

    /// <summary>The forced-return monitor assigned to every demo operation that gets one; the demo sign-in offers it.</summary>
    public const string Monitor = "demo-monitor";

    /// <summary>The countries that book on the demo operations.</summary>
    public static IReadOnlyList<string> BookingCountries { get; } = ["AT", "BE", "CH", "CZ", "DE", "FR", "HR", "HU", "PL", "SI", "SK"];

    public static async Task SeedAsync(IGrainFactory grains, TimeProvider clock)
    {
        if (await grains.GetGrain<IReturnOperationGrain>("demo-op-1").GetView() is not null)
        {
            return;
        }
        foreach (var country in JcpParticipants.Participants.Concat(JcpParticipants.Destinations))
        {
            await grains.GetGrain<ICountryGrain>(country.Code).Put(country);
        }
        foreach (var agreement in JcpParticipants.Agreements)
        {
            await grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).Put(agreement);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var random = new Random(20_261_122);
        var pool = new Dictionary<string, Queue<string>>();
        foreach (var owner in BookingCountries)
        {
            pool[owner] = new Queue<string>();
            for (var i = 1; i <= ReturneesPerCountry; i++)
            {
                var id = $"demo-{owner.ToLowerInvariant()}-{i:000}";
                await grains.GetGrain<IReturneeGrain>(id).Register(owner, Case(random, owner, i, today));
                pool[owner].Enqueue(id);
            }
        }
        var now = clock.GetUtcNow();
        await Operation(grains, "demo-op-1", OperationType.Joint, "AT", ["NG"], [("VIE", "LOS")], now.AddDays(30), 120, pool, OperationStatus.Announced);
        await Operation(grains, "demo-op-2", OperationType.Joint, "DE", ["PK"], [("FRA", "ISB")], now.AddDays(12), 90, pool, OperationStatus.BookingClosed);
        await Operation(grains, "demo-op-3", OperationType.Joint, "HU", ["GE"], [("BUD", "TBS")], now.AddDays(6), 80, pool, OperationStatus.Confirmed);
        await Operation(grains, "demo-op-4", OperationType.National, "BE", ["NG"], [("BRU", "LOS")], now.AddDays(2), 60, pool, OperationStatus.Completed);
        await Operation(grains, "demo-op-5", OperationType.Collecting, "PL", ["GE"], [("WAW", "TBS")], now.AddDays(20), 70, pool, OperationStatus.Cancelled);
        await Operation(grains, "demo-op-6", OperationType.VoluntaryCharter, "FR", ["GE", "PK"], [("CDG", "TBS"), ("TBS", "ISB")], now.AddDays(40), 100, pool, OperationStatus.Draft);
        await Operation(grains, "demo-op-7", OperationType.ScheduledFlight, "CH", ["NG"], [("ZRH", "LOS")], now.AddDays(25), 20, pool, OperationStatus.Announced);
        await ReadmissionRequests(grains, now);
        await IdentificationRequests(grains);
    }

    /// <summary>
    /// Identification requests to Pakistan (rule 17): one waiting for identification, one whose identity Pakistan confirmed and
    /// whose travel document is due. Both cases hold documents already (the demo's cases are bookable), so nothing is suspended.
    /// </summary>
    private static async Task IdentificationRequests(IGrainFactory grains)
    {
        await grains.GetGrain<IIdentificationRequestGrain>("demo-ir-1").Submit(new IdentificationSubmission("demo-at-022", "AT", "PK"));
        var confirmed = grains.GetGrain<IIdentificationRequestGrain>("demo-ir-2");
        if ((await confirmed.Submit(new IdentificationSubmission("demo-de-019", "DE", "PK"))).Status == IdentificationStatus.AwaitingIdentity)
        {
            await confirmed.Confirm(Caller.PartnerOf("PK", "demo"));
        }
    }

    /// <summary>
    /// Readmission requests entered with the day they were sent: two that Georgia and Pakistan let pass without a reply
    /// (overdue: their agreements do not count silence as acceptance) and one to Nigeria still within its 30 days.
    /// Lapsed requests do not block booking, so the operations above are unaffected.
    /// </summary>
    private static async Task ReadmissionRequests(IGrainFactory grains, DateTimeOffset now)
    {
        (string Id, string Returnee, string Owner, string Destination, int DaysAgo)[] requests =
        [
            ("demo-rr-1", "demo-hu-020", "HU", "GE", 20),
            ("demo-rr-2", "demo-pl-021", "PL", "PK", 35),
            ("demo-rr-3", "demo-be-022", "BE", "NG", 5),
        ];
        foreach (var r in requests)
        {
            await grains.GetGrain<IReadmissionRequestGrain>(r.Id).Submit(new ReadmissionSubmission(r.Returnee, r.Owner, r.Destination, now.AddDays(-r.DaysAgo)));
        }
    }

    private static ReturneeCase Case(Random random, string owner, int i, DateOnly today)
    {
        var nationality = (i % 3) switch { 0 => "NG", 1 => "PK", _ => "GE" };
        // About one in ten cases is not yet bookable, as in real case loads (appeal pending, documents missing).
        var blocked = random.Next(10) == 0;
        return new ReturneeCase(
            Reference: $"{owner}-2026-{i:0000}",
            Nationality: nationality,
            BirthYear: 1965 + random.Next(40),
            Sex: random.Next(3) == 0 ? "F" : "M",
            FamilyGroup: i % 8 is 1 or 2 ? $"family-{i / 8}" : null,
            UnaccompaniedMinor: false,
            ReceptionArrangement: null,
            DecisionEnforceable: true,
            AppealPending: blocked,
            AppealSuspensive: blocked,
            NonRefoulementCleared: true,
            TravelDocumentValidUntil: today.AddYears(1),
            MedicalFlag: false,
            FitToTravelOn: null,
            Vulnerabilities: random.Next(12) == 0 ? ["health"] : [],
            Voluntary: random.Next(3) == 0);
    }

    private static async Task Operation(IGrainFactory grains, string id, OperationType type, string organiser, string[] destinations,
        (string From, string To)[] route, DateTimeOffset departure, int capacity, Dictionary<string, Queue<string>> pool, OperationStatus target)
    {
        var legs = route.Select((r, i) => new Leg(r.From, r.To, departure.AddHours(3 * i))).ToList();
        var operation = grains.GetGrain<IReturnOperationGrain>(id);
        var organiserCaller = Caller.CoordinatorOf(organiser);
        await operation.Create(new OperationPlan(type, organiser, destinations, legs, capacity, departure.AddDays(-1)));
        if (target == OperationStatus.Draft)
        {
            return;
        }
        await operation.ChangeStatus(organiserCaller, new StatusChange(OperationStatus.Announced));
        // The organiser and the next three countries in a fixed rotation: a median JRO has two to four states.
        var start = (int)(id[^1] - '0') * 3;
        var partners = Enumerable.Range(0, 3).Select(i => BookingCountries[(start + i) % BookingCountries.Count]);
        foreach (var country in partners.Prepend(organiser).Distinct())
        {
            await BookFamiliesAndSingles(grains, operation, type, id, country, pool[country]);
        }
        if (target == OperationStatus.Announced)
        {
            return;
        }
        await operation.ChangeStatus(organiserCaller, new StatusChange(target == OperationStatus.Cancelled ? OperationStatus.Cancelled : OperationStatus.BookingClosed, "demo"));
        if (target == OperationStatus.Cancelled)
        {
            return;
        }
        // Shared with the destinations, so their partners can pre-clear it; demo-op-2 waits for that clearance.
        await operation.ShareManifest(organiserCaller);
        if (target == OperationStatus.BookingClosed)
        {
            return;
        }
        await operation.AssignMonitor(Caller.SecretariatUser(), Monitor);
        foreach (var destination in destinations)
        {
            await operation.Clear(Caller.PartnerOf(destination), new ClearanceDecision(true, [], null));
        }
        await NameStaff(operation, organiserCaller, departure);
        await operation.ChangeStatus(organiserCaller, new StatusChange(OperationStatus.Confirmed));
        if (target == OperationStatus.Confirmed)
        {
            return;
        }
        await operation.ChangeStatus(organiserCaller, new StatusChange(OperationStatus.Departed));
        // One returnee did not board (a medical emergency at the airport), so the statistics show a no-show.
        var manifest = await operation.GetManifest(organiserCaller);
        if (manifest.Entries.FirstOrDefault(e => e.Country == organiser) is { } noShow)
        {
            await operation.RecordNoShow(organiserCaller, noShow.ReturneeId, NoShowReason.Medical);
        }
        await operation.ChangeStatus(organiserCaller, new StatusChange(OperationStatus.Completed));
    }

    /// <summary>Rule 6: each country names its booked staff by service number, documents valid two years past departure.</summary>
    private static async Task NameStaff(IReturnOperationGrain operation, Caller organiser, DateTimeOffset departure)
    {
        var validUntil = DateOnly.FromDateTime(departure.UtcDateTime).AddYears(2);
        foreach (var booking in (await operation.GetBookings(organiser)).Where(b => b.Status == BookingStatus.Confirmed))
        {
            var counts = new[] { (StaffRole.Escort, booking.Escorts), (StaffRole.Medical, booking.Medical), (StaffRole.Monitor, booking.Monitors),
                (StaffRole.Interpreter, booking.Interpreters), (StaffRole.Observer, booking.Observers) };
            List<StaffMember> staff = [.. counts.SelectMany(c => Enumerable.Range(1, c.Item2)
                .Select(i => new StaffMember($"{booking.Country}-{c.Item1.ToString()[..3].ToUpperInvariant()}-{booking.Sequence:00}{i:00}", c.Item1, validUntil)))];
            await operation.NameStaff(Caller.CoordinatorOf(booking.Country), booking.Id, staff);
        }
    }

    /// <summary>Books up to four eligible singles of one country returning to the operation's destinations (rule 21), with the escorts and a medic they need.</summary>
    private static async Task BookFamiliesAndSingles(IGrainFactory grains, IReturnOperationGrain operation, OperationType type, string operationId,
        string country, Queue<string> pool)
    {
        var view = await operation.GetView();
        var chosen = new List<Reservation>();
        var seen = 0;
        while (pool.Count > 0 && chosen.Count < 4 && seen++ < ReturneesPerCountry)
        {
            var id = pool.Dequeue();
            var assessed = await grains.GetGrain<IReturneeGrain>(id).Assess(new EligibilityContext(view!.Legs[0].Departure, view.Destinations, GrainsOptions.DefaultFitToTravelWindowDays));
            if (assessed.CountriesOfReturn is { } countries && !countries.Intersect(view.Destinations).Any())
            {
                pool.Enqueue(id); // rule 21: not a country of return for this one; a later operation may go there
                continue;
            }
            var family = assessed.FamilyGroup is null ? [] : await grains.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(country, assessed.FamilyGroup)).Members();
            if (assessed.Violations.Count > 0 || family.Count > 1)
            {
                continue; // families are booked by the tests; the demo keeps its bookings simple and always valid
            }
            chosen.Add(assessed);
        }
        var forced = chosen.Count(r => r.Forced);
        var escorts = EscortRatio.Required(type, view!.EscortsPerReturnee, forced);
        await operation.RequestBooking(Caller.CoordinatorOf(country),
            new BookingRequest($"{operationId}-{country.ToLowerInvariant()}", [.. chosen.Select(r => r.ReturneeId)], escorts, Medical: 1, Interpreters: country == "AT" ? 1 : 0));
    }
}
