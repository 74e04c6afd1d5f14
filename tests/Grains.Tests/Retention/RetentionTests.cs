using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Retention;

/// <summary>Rule 15: personal data is erased a configurable number of days after the operation ends; counts survive.</summary>
public sealed class RetentionTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");

    private async Task<(IReturnOperationGrain Operation, string Returnee)> CompletedAsync()
    {
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        await Book(operation, "AT", "b1", [returnee], escorts: 2, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "m1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);
        foreach (var to in new[] { OperationStatus.Confirmed, OperationStatus.Departed, OperationStatus.Completed })
        {
            await operation.ChangeStatus(Organiser, new StatusChange(to));
        }
        return (operation, returnee);
    }

    [Fact]
    public async Task Retention_erases_personal_data_ten_days_after_completion_and_keeps_counts()
    {
        await StartAsync();
        var (operation, returnee) = await CompletedAsync();

        await AdvanceAsync(TimeSpan.FromDays(9));
        Assert.NotNull((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case);
        await AdvanceAsync(TimeSpan.FromDays(1));

        var erased = (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!;
        Assert.Null(erased.Case);
        Assert.Equal(ReturneeStatus.Erased, erased.Status);
        Assert.Empty((await operation.GetBookings(Organiser))[0].Returnees);
        Assert.Equal(1, (await operation.GetView())!.Participants.Single().Returnees);
        Assert.Equal(1, await Storage.ScalarAsync("SELECT confirmed_returnees FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT returnees FROM operation_participants WHERE id = 'op-1/AT'"));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM grain_state WHERE payload LIKE '%AT-case-%'"));
    }

    [Fact]
    public async Task Erasure_on_request_keeps_the_owner_and_refuses_while_booked()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = Grains.GetGrain<IReturneeGrain>(await Returnee("AT"));
        var id = (await returnee.Get())!.Id;
        await Book(operation, "AT", "b1", [id], escorts: 2);

        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => returnee.Erase(null)));
        await operation.CancelBooking(Organiser, "b1");
        Assert.True(await returnee.Erase(null));

        var erased = (await returnee.Get())!;
        Assert.Equal(("AT", ReturneeStatus.Erased, (ReturneeCase?)null), (erased.Owner, erased.Status, erased.Case));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT count(*) FROM returnee_list WHERE status = 'Erased'"));
    }

    [Fact]
    public async Task Retention_days_are_configurable_and_erase_at_their_end_not_a_tick_before()
    {
        await StartAsync(options: o => o.RetentionDays = 3);
        var (_, returnee) = await CompletedAsync();
        var due = Clock.GetUtcNow().AddDays(3);

        Assert.Equal(0, await FireAtAsync(due - OneTick));
        Assert.NotNull((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case);
        Assert.Equal(1, await FireAtAsync(due));

        Assert.Null((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case);
    }

    [Fact]
    public async Task Retention_after_cancellation_spares_a_returnee_rebooked_elsewhere()
    {
        await StartAsync();
        var cancelled = await AnnouncedAsync(id: "op-c");
        var other = await AnnouncedAsync(id: "op-d");
        var rebooked = await Returnee("AT");
        var left = await Returnee("AT");
        await Book(cancelled, "AT", "b1", [rebooked, left], escorts: 4);
        await cancelled.ChangeStatus(Organiser, new StatusChange(OperationStatus.Cancelled, "aircraft unavailable"));
        await Book(other, "AT", "b2", [rebooked], escorts: 2);

        await AdvanceAsync(TimeSpan.FromDays(10));

        Assert.NotNull((await Grains.GetGrain<IReturneeGrain>(rebooked).Get())!.Case);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(left).Get())!.Case);
    }
}
