namespace ReturnOps.Grains.Operations;

/// <summary>
/// The largest counts an operation and a booking may carry (docs/security.md). Each is far above practice (domain.md,
/// Frontex 2019–2024: largest JRO 113 returnees, median 90 escorts and 2 medical staff on a whole JRO) and far below
/// what a sum of them could overflow: an out-of-range count is a malformed request, refused before anything changes.
/// </summary>
public static class BookingLimits
{
    /// <summary>Above the exit limit of the largest wide-body chartered for returns (A330-300 and B777-200: 440 seats).</summary>
    public const int MaxSeatCapacity = 500;

    /// <summary>Above the largest JRO on record (113 returnees, all states together); one state's booking is far below.</summary>
    public const int MaxReturneesPerBooking = 150;

    /// <summary>The ratio observed is 2.8 escorts per returnee (median); 5 leaves room for high-risk cases.</summary>
    public const decimal MaxEscortsPerReturnee = 5m;

    /// <summary>Escorts for the largest booking at a high ratio; a whole JRO's median is 90.</summary>
    public const int MaxEscorts = 400;

    /// <summary>A JRO carries a median of 2 medical staff, a booking a doctor and a few nurses at most.</summary>
    public const int MaxMedical = 20;

    /// <summary>Forced-return monitors come from a small pool: one or two per operation.</summary>
    public const int MaxMonitors = 10;

    /// <summary>One or two per language spoken on board.</summary>
    public const int MaxInterpreters = 20;

    /// <summary>Representatives, social workers and counsellors of one state.</summary>
    public const int MaxObservers = 20;

    /// <summary>The longest staff list a booking can name: every staff count at its maximum.</summary>
    public const int MaxStaffPerBooking = MaxEscorts + MaxMedical + MaxMonitors + MaxInterpreters + MaxObservers;

    /// <summary>Every count a booking request carries out of its range, as "name (0 to max)"; empty when all are in range.</summary>
    public static IReadOnlyList<string> OutOfRange(BookingRequest request) =>
    [
        .. new (string Name, int Value, int Max)[]
        {
            ("returnees", request.Returnees.Count, MaxReturneesPerBooking), ("escorts", request.Escorts, MaxEscorts),
            ("medical", request.Medical, MaxMedical), ("monitors", request.Monitors, MaxMonitors),
            ("interpreters", request.Interpreters, MaxInterpreters), ("observers", request.Observers, MaxObservers),
        }.Where(c => c.Value < 0 || c.Value > c.Max).Select(c => $"{c.Name} (0 to {c.Max})"),
    ];
}
