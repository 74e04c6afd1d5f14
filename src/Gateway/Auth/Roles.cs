using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// The roles of the contract and what each needs in a token. The names are the domain's (<see cref="Caller"/>, which the grains
/// decide with): written once there, so a token's role and a grain's check can never spell one role two ways.
/// </summary>
public static class Roles
{
    public const string Coordinator = Caller.Coordinator;
    public const string Secretariat = Caller.Secretariat;
    public const string Partner = Caller.Partner;
    public const string Monitor = Caller.Monitor;
    public const string Fro = Caller.Fro;
    public const string Admin = Caller.Admin;

    /// <summary>A reintegration service provider of a destination (rule 18); its tokens carry a <c>provider</c> claim.</summary>
    public const string Provider = Caller.ProviderRole;

    /// <summary>
    /// A court, or a lawyer acting for the person, as its member state's identity provider vouches (rule 22): places and reads legal
    /// holds on that country's cases and nothing else; its tokens carry a <c>country</c> claim.
    /// </summary>
    public const string Court = Caller.Court;

    public static IReadOnlyList<string> All { get; } = [Coordinator, Secretariat, Partner, Monitor, Fro, Admin, Provider, Court];

    /// <summary>Roles that act for one country and must carry a <c>country</c> claim.</summary>
    public static bool NeedsCountry(string role) => role is Coordinator or Partner or Court;

    /// <summary>Roles outside the return operations: admitted only where an endpoint's policy names them, never by the fallback.</summary>
    public static bool Outside(string role) => role is Provider or Court;

    /// <summary>The one role that acts for a reintegration service provider and must carry a <c>provider</c> claim (and no other may).</summary>
    public static bool NeedsProvider(string role) => role is Provider;
}

/// <summary>Authorization policy names: one per set of roles an endpoint admits.</summary>
public static class Policies
{
    public const string Coordinator = "coordinator";
    public const string Partner = "partner";
    public const string Admin = "admin";
    public const string Oversight = "fro-or-admin";
    public const string CountryActor = "coordinator-or-partner";
    public const string Staffing = "secretariat-or-coordinator";
    public const string StaffingAndAdmin = "secretariat-coordinator-or-admin";
    public const string Participant = "coordinator-partner-or-monitor";
    public const string Monitor = "monitor";
    public const string Operators = "admin-or-secretariat";
    public const string FeedReaders = "coordinator-partner-secretariat-or-fro";
    public const string OversightAndSecretariat = "secretariat-fro-or-admin";
    public const string Provider = "provider";
    public const string CoordinatorOrProvider = "coordinator-or-provider";

    /// <summary>Who acts on legal holds (rule 22): the owning state's coordinators and courts, the fundamental-rights officer.</summary>
    public const string LegalHolds = "coordinator-court-or-fro";

    /// <summary>Who follows operations in a calendar: coordinators (organisers among them), partners, monitors and the secretariat.</summary>
    public const string CalendarSubscribers = "coordinator-partner-monitor-or-secretariat";
}
