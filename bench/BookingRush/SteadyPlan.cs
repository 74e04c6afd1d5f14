namespace ReturnOps.BookingRush;

/// <summary>
/// The steady scenario's set-up: one operation at the largest capacity the domain allows (500 seats,
/// <c>BookingLimits.MaxSeatCapacity</c>) and, per client, a few returnees of its country that it books and cancels in
/// turn. A client books 1 or 2 of them (2 escorts each: 3 or 6 seats), then cancels that booking before its next one, so
/// the operation holds at most one live booking per client: 200 clients ask for about 450 seats at a time on average
/// (each holds its booking about half the time), so most bookings confirm, some wait and are promoted when another
/// client's cancellation frees seats.
/// </summary>
public sealed class SteadyPlan : IPlan
{
    public const int SteadyCapacity = 500;

    /// <summary>Two for a booking, two more in case a cancellation fails and its returnees stay held.</summary>
    public const int ReturneesPerClient = 4;

    public SteadyPlan(int clerks) => Clerks = clerks;

    public int Clerks { get; }

    public int Clients => RushPlan.Countries.Length * Clerks;

    public int Operations => 1;

    public int Capacity => SteadyCapacity;

    public IEnumerable<(string Country, string Returnee)> Returnees =>
        Enumerable.Range(0, Clients).SelectMany(client => Pool(client).Select(r => (CountryOf(client), r)));

    public string CountryOf(int client) => RushPlan.Countries[client / Clerks];

    /// <summary>The returnees client <paramref name="client"/> books from.</summary>
    public IReadOnlyList<string> Pool(int client) =>
        [.. Enumerable.Range(0, ReturneesPerClient).Select(n => $"steady-{CountryOf(client).ToLowerInvariant()}-{client % Clerks}-{n}")];
}
