using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Voluntary-return charter: "no escorts, no coercion" — a forced returnee has no seat on it.</summary>
public sealed class VoluntaryCharterTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");

    [Fact]
    public async Task VoluntaryOnly_a_forced_returnee_is_refused_on_a_voluntary_charter()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(OperationType.VoluntaryCharter));
        var forced = await Returnee("AT");
        var voluntary = await Returnee("AT", c => c with { Voluntary = true });

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => Book(operation, "AT", "b1", [voluntary, forced], escorts: 0));

        Assert.Equal(RuleCode.VoluntaryOnly, refused.Rule);
        Assert.Contains(forced, refused.Message, StringComparison.Ordinal);
        Assert.False(RuleCode.IsConflict(RuleCode.VoluntaryOnly));
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(voluntary).Get())!.Booking);
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b2", [voluntary], escorts: 0)).Status);
        // Any other type takes both.
        var joint = await AnnouncedAsync(id: "op-joint");
        Assert.Equal(BookingStatus.Confirmed, (await Book(joint, "AT", "b3", [forced], escorts: 2)).Status);
    }

    [Fact]
    public async Task VoluntaryOnly_confirmation_refuses_a_returnee_whose_case_turned_forced_while_booked()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(OperationType.VoluntaryCharter));
        var returnee = await Returnee("AT", c => c with { Voluntary = true });
        await Book(operation, "AT", "b1", [returnee], escorts: 0, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Caller.CoordinatorOf("AT"));
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);

        await Grains.UpdateReturneeAsync(returnee, "AT", EligibleCase("AT") with { Voluntary = false });

        Assert.Equal(RuleCode.VoluntaryOnly, await RuleOf(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))));
        await Grains.UpdateReturneeAsync(returnee, "AT", EligibleCase("AT") with { Voluntary = true });
        Assert.Equal(OperationStatus.Confirmed, (await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed))).Status);
    }
}
