using ReturnOps.Grains.Hosting;

namespace ReturnOps.Grains.Returnees;

/// <summary>A leaf grain: returnees call it, it calls no one, so no cycle can form.</summary>
[GrainType("family-group")]
public sealed class FamilyGroupGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<FamilyGroupState> state) : DomainGrain, IFamilyGroupGrain
{
    public static string KeyFor(string owner, string group) => owner + "/" + group;

    public async Task Join(string returneeId)
    {
        if (state.State.Members.Add(returneeId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Leave(string returneeId)
    {
        if (state.State.Members.Remove(returneeId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Members() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Members]);
}
