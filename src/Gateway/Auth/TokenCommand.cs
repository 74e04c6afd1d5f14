namespace ReturnOps.Gateway.Auth;

/// <summary>
/// <c>token --role R [--country CC] [--provider ID] [--sub NAME] [--hours N]</c> (N at most 12, default 8): prints a JWT signed with
/// Auth:SigningKey. A provider's token names its provider (<c>--provider al-tirana-reintegration</c>) and no country.
/// The only way to mint a token; the gateway has no token endpoint.
/// </summary>
public static class TokenCommand
{
    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        if (!options.TryGetValue("role", out var role) || !Roles.All.Contains(role))
        {
            Console.Error.WriteLine("usage: token --role <" + string.Join("|", Roles.All) + "> [--country CC] [--provider ID] [--sub NAME] [--hours N]");
            return 2;
        }
        var country = options.GetValueOrDefault("country");
        if (Roles.NeedsCountry(role) && (country is null || country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            Console.Error.WriteLine($"Role {role} needs --country with an ISO 3166 alpha-2 code, e.g. AT.");
            return 2;
        }
        var provider = options.GetValueOrDefault("provider");
        if (Roles.NeedsProvider(role) != provider is not null || (provider is not null && (country is not null || !Grains.Reintegration.ReintegrationProvidersGrain.IsProviderId(provider))))
        {
            Console.Error.WriteLine("Role provider, and only it, needs --provider with a provider id (lower-case letters, digits, dashes) and no --country.");
            return 2;
        }
        var hours = options.TryGetValue("hours", out var h) && int.TryParse(h, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 8;
        if (hours > TokenIssuer.MaxLifetime.TotalHours)
        {
            Console.Error.WriteLine($"--hours is at most {TokenIssuer.MaxLifetime.TotalHours}: the gateway refuses longer-lived tokens.");
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder();
        var settings = TokenSettings.From(builder.Configuration, builder.Environment.IsDevelopment());
        var subject = options.GetValueOrDefault("sub") ?? role + (country is null ? "" : "-" + country.ToLowerInvariant()) + (provider is null ? "" : "-" + provider);
        Console.WriteLine(new TokenIssuer(settings, TimeProvider.System).Issue(subject, role, country, TimeSpan.FromHours(hours), provider));
        return 0;
    }
}
