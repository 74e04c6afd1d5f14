namespace ReturnOps.Gateway.Auth;

/// <summary>The roles of the contract and the authorization policies built from them.</summary>
public static class Roles
{
    public const string Coordinator = "coordinator";
    public const string Secretariat = "secretariat";
    public const string Partner = "partner";
    public const string Monitor = "monitor";
    public const string Fro = "fro";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Coordinator, Secretariat, Partner, Monitor, Fro, Admin];

    /// <summary>Roles that act for one country and must carry a <c>country</c> claim.</summary>
    public static bool NeedsCountry(string role) => role is Coordinator or Partner;
}

/// <summary>Authorization policy names: one per set of roles an endpoint admits.</summary>
public static class Policies
{
    public const string Coordinator = "coordinator";
    public const string Partner = "partner";
    public const string Admin = "admin";
    public const string Secretariat = "secretariat";
    public const string Oversight = "fro-or-admin";
    public const string CountryActor = "coordinator-or-partner";
    public const string Staffing = "secretariat-or-coordinator";
    public const string Participant = "coordinator-partner-or-monitor";
    public const string Monitor = "monitor";
    public const string Operators = "admin-or-secretariat";
    public const string FeedReaders = "coordinator-partner-secretariat-or-fro";
    public const string OversightAndSecretariat = "secretariat-fro-or-admin";
}
