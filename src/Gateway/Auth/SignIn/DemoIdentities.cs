using ReturnOps.Grains.DemoData;

namespace ReturnOps.Gateway.Auth.SignIn;

/// <summary>A person the demo identity provider can sign in as: one per role and per booking or destination country of the demo data.</summary>
public sealed record DemoIdentity(string Id, string Label, string Role, string? Country, string? Provider)
{
    /// <summary>The subject the demo data knows: the monitor assigned to its operations, <c>demo-{role}[-{country or provider}]</c> otherwise.</summary>
    public string Subject => Role switch
    {
        Roles.Monitor => DemoScenario.Monitor,
        _ => Id,
    };
}

/// <summary>The demo identities, in the order the demo identity provider's page offers them.</summary>
public static class DemoIdentities
{
    public static IReadOnlyList<DemoIdentity> All { get; } = [.. Build()];

    public static DemoIdentity? Find(string? id) => All.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.Ordinal));

    private static IEnumerable<DemoIdentity> Build()
    {
        DemoIdentity Identity(string label, string role, string? country) =>
            new($"demo-{role}{(country is null ? "" : "-" + country.ToLowerInvariant())}", label, role, country, null);
        yield return Identity("JCP secretariat", Roles.Secretariat, null);
        yield return Identity("Fundamental-rights officer", Roles.Fro, null);
        yield return Identity("Forced-return monitor", Roles.Monitor, null);
        yield return Identity("Administrator", Roles.Admin, null);
        foreach (var country in new[] { "AT", "BE", "CH", "CZ", "DE", "FR", "HR", "HU", "PL", "SI", "SK" })
        {
            yield return Identity($"Coordinator {country}", Roles.Coordinator, country);
        }
        foreach (var country in new[] { "NG", "PK", "GE" })
        {
            yield return Identity($"Partner {country}", Roles.Partner, country);
        }
        foreach (var provider in DemoProviders.All)
        {
            yield return new DemoIdentity($"demo-provider-{provider.Id}", $"Reintegration provider {provider.Country}: {provider.Name}", Roles.Provider, null, provider.Id);
        }
    }
}
