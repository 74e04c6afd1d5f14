namespace ReturnOps.Grains.Rules;

/// <summary>
/// Who makes a call, as the gateway read it from the token: role, country (coordinators and partners)
/// and subject, and for a reintegration service provider its provider id. Grains decide visibility with it, so that
/// every entry point applies the same rules.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.Caller")]
public sealed record Caller(
    [property: Id(0)] string Role,
    [property: Id(1)] string? Country,
    [property: Id(2)] string Subject,
    [property: Id(3)] string? Provider = null)
{
    public const string Coordinator = "coordinator";
    public const string Secretariat = "secretariat";
    public const string Partner = "partner";
    public const string Monitor = "monitor";
    public const string Fro = "fro";
    public const string Admin = "admin";
    public const string ProviderRole = "provider";

    /// <summary>A court, or a lawyer acting for the person, credentialed by its member state's identity provider: places and reads legal holds (rule 22).</summary>
    public const string Court = "court";

    public static Caller CoordinatorOf(string country, string subject = "clerk") => new(Coordinator, country, subject);
    public static Caller PartnerOf(string country, string subject = "partner") => new(Partner, country, subject);
    public static Caller SecretariatUser(string subject = "secretariat") => new(Secretariat, null, subject);
    public static Caller MonitorUser(string subject) => new(Monitor, null, subject);
    public static Caller ProviderUser(string providerId, string subject = "provider") => new(ProviderRole, null, subject, providerId);

    public bool IsCoordinatorOf(string country) => Role == Coordinator && Country == country;
    public bool IsPartnerOf(string country) => Role == Partner && Country == country;
}
