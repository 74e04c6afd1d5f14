using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Reintegration;

[GrainType("reintegration-providers")]
public sealed class ReintegrationProvidersGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<ReintegrationProvidersState> state)
    : DomainGrain, IReintegrationProvidersGrain
{
    public async Task<ReintegrationProvider> Put(ReintegrationProvider provider)
    {
        if (!IsProviderId(provider.Id) || provider.Country.Length != 2 || !provider.Country.All(char.IsAsciiLetterUpper)
            || string.IsNullOrWhiteSpace(provider.Name) || provider.Name.Length > 200 || provider.Name.Any(char.IsControl))
        {
            throw new DomainRuleException(RuleCode.Validation, "A provider needs an id (lower-case letters, digits, dashes), an ISO country code and a name of at most 200 characters.");
        }
        if (state.State.Providers.GetValueOrDefault(provider.Id) == provider)
        {
            return provider;
        }
        state.State.Providers[provider.Id] = provider;
        await state.WriteStateAsync();
        return provider;
    }

    public Task<ReintegrationProvider?> Get(string id) => Task.FromResult(state.State.Providers.GetValueOrDefault(id));

    public Task<IReadOnlyList<ReintegrationProvider>> List() => Task.FromResult<IReadOnlyList<ReintegrationProvider>>(
        [.. state.State.Providers.Values.OrderBy(p => p.Country, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal)]);

    /// <summary>The shape of a provider id, also checked on the token's <c>provider</c> claim.</summary>
    public static bool IsProviderId(string value) =>
        value.Length is > 0 and <= 80 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
