using ReturnOps.Grains.Rules;
using ReturnOps.Grains.Hosting;

namespace ReturnOps.Grains.Agreements;

[GrainType("readmission-agreements")]
public sealed class ReadmissionAgreementsGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<ReadmissionAgreementsState> state) : DomainGrain, IReadmissionAgreementsGrain
{
    public async Task<ReadmissionClock> Put(ReadmissionClock clock)
    {
        if (clock.ReplyDays <= 0 || clock.ExtensionDays < 0 || clock.TransferDays < 0 || clock.Destination.Length != 2)
        {
            throw new DomainRuleException(RuleCode.Validation, "Reply days must be positive, extension and transfer days not negative, destination an ISO code.");
        }
        if (clock.Identification?.Invalid() is { } invalid)
        {
            throw new DomainRuleException(RuleCode.Validation, invalid);
        }
        if (clock.Basis == PartnerBasis.Arrangement && clock.SilenceMeansAcceptance)
        {
            // Rule 20: a practical arrangement is no treaty; only an explicit reply readmits anyone.
            throw new DomainRuleException(RuleCode.Validation, "Under a practical arrangement silence never means acceptance.");
        }
        state.State.Clocks[clock.Destination] = clock;
        await state.WriteStateAsync();
        return clock;
    }

    public Task<ReadmissionClock?> Get(string destination) =>
        Task.FromResult(state.State.Clocks.GetValueOrDefault(destination));

    public Task<IReadOnlyList<ReadmissionClock>> List() =>
        Task.FromResult<IReadOnlyList<ReadmissionClock>>([.. state.State.Clocks.Values]);
}
