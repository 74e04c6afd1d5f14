namespace ReturnOps.BookingRush;

/// <summary>What a system is set up with before a scenario: announced operations of one capacity, and each country's returnees.</summary>
public interface IPlan
{
    int Operations { get; }

    int Capacity { get; }

    IEnumerable<(string Country, string Returnee)> Returnees { get; }
}

/// <summary>One booking a clerk will send: 1–4 of the country's returnees, all forced, with 2 escorts each.</summary>
public sealed record PlannedBooking(string Country, int Operation, string[] Returnees, int Escorts)
{
    public int Seats => Returnees.Length + Escorts;
}

/// <summary>
/// What one scenario books: <see cref="Bookings"/> split evenly over the 20 countries, each country's bookings in one queue
/// its clerks share. Hot: every booking on operation 0. Spread: each booking on one of 20 operations at random.
/// Deterministic (seeded), so both systems get the same bookings in the same order per country.
/// </summary>
public sealed class RushPlan : IPlan
{
    /// <summary>The 19 JCP participants named in the domain notes, and the Netherlands as the twentieth.</summary>
    public static readonly string[] Countries =
        ["AT", "HR", "CZ", "BE", "BG", "DE", "FR", "HU", "PL", "RO", "SK", "SI", "CH", "AL", "BA", "XK", "ME", "MK", "RS", "NL"];

    /// <summary>The burst's capacity, as measured since the issue was filed: 600 bookings of 3–12 seats overflow it into the waitlist.</summary>
    public const int BurstCapacity = 300;

    private RushPlan(int operations, IReadOnlyDictionary<string, IReadOnlyList<PlannedBooking>> byCountry)
    {
        Operations = operations;
        ByCountry = byCountry;
    }

    public int Operations { get; }
    public int Capacity => BurstCapacity;
    public IReadOnlyDictionary<string, IReadOnlyList<PlannedBooking>> ByCountry { get; }
    public int Bookings => ByCountry.Values.Sum(b => b.Count);

    public IEnumerable<(string Country, string Returnee)> Returnees =>
        ByCountry.SelectMany(c => c.Value.SelectMany(b => b.Returnees).Select(r => (c.Key, r)));

    public static RushPlan Make(int bookings, int operations, int seed)
    {
        var random = new Random(seed);
        var byCountry = new Dictionary<string, IReadOnlyList<PlannedBooking>>();
        foreach (var country in Countries)
        {
            var list = new List<PlannedBooking>();
            var next = 0;
            for (var i = 0; i < bookings / Countries.Length; i++)
            {
                var size = random.Next(1, 5);
                var returnees = Enumerable.Range(next, size).Select(n => $"rush-{country.ToLowerInvariant()}-{n}").ToArray();
                next += size;
                list.Add(new PlannedBooking(country, random.Next(operations), returnees, 2 * size));
            }
            byCountry[country] = list;
        }
        return new RushPlan(operations, byCountry);
    }
}
