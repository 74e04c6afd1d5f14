using ReturnOps.Grains;

namespace ReturnOps.Silo.Hosting;

/// <summary>
/// The domain's configurable figures (section <c>Grains</c>: <c>RetentionDays</c>, rule 15; <c>FitToTravelWindowDays</c>,
/// rule 5), bound the same way on every replica, so a gateway and a worker never apply different retention.
/// </summary>
public static class GrainsSettings
{
    public const string Section = "Grains";

    /// <summary>Ten years: beyond it a figure is a typo, and a typo in retention keeps personal data for ever.</summary>
    private const int MaxDays = 3650;

    public static void Bind(IConfiguration configuration, GrainsOptions options)
    {
        configuration.GetSection(Section).Bind(options);
        // Refused at start, with the setting named: a replica must not run with a retention it cannot honour.
        if (options.RetentionDays is < 0 or > MaxDays)
        {
            throw new InvalidOperationException($"{Section}:RetentionDays must be between 0 and {MaxDays} days; it is {options.RetentionDays}.");
        }
        if (options.FitToTravelWindowDays is < 1 or > MaxDays)
        {
            throw new InvalidOperationException($"{Section}:FitToTravelWindowDays must be between 1 and {MaxDays} days; it is {options.FitToTravelWindowDays}.");
        }
    }
}
