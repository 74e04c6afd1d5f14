using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>No-shows after departure: counted per country and reason, off the manifest, freed for another operation, retention intact.</summary>
public sealed class NoShowTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");
    private static readonly Caller German = Caller.CoordinatorOf("DE");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NoShow_is_counted_in_statistics_and_frees_the_returnee(string provider)
    {
        await StartAsync(provider);
        var (operation, austrians, german) = await DepartedAsync();

        var recorded = await operation.RecordNoShow(Organiser, german, NoShowReason.Absconded);

        Assert.Equal((german, "de", "DE", NoShowReason.Absconded), (recorded.ReturneeId, recorded.BookingId, recorded.Country, recorded.Reason));
        var freed = (await Grains.GetGrain<IReturneeGrain>(german).Get())!;
        Assert.Equal((ReturneeStatus.Available, (BookingRef?)null), (freed.Status, freed.Booking));
        Assert.DoesNotContain((await operation.GetManifest(Organiser)).Entries, e => e.ReturneeId == german);
        Assert.Equal(2, (await operation.GetManifest(Organiser)).Entries.Count);
        Assert.Equal(1, await Storage.ScalarAsync("SELECT no_shows FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT no_shows FROM operation_participants WHERE id = 'op-1/DE'"));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT no_shows FROM operation_participants WHERE id = 'op-1/AT'"));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT no_shows FROM operation_no_shows WHERE id = 'op-1/DE/Absconded'"));
        // The owning state learns which of its returnees; organiser and secretariat get the count.
        Assert.Equal(1, await Outbox("noshow.recorded", Destination.Country("DE")));
        Assert.Equal(1, await Outbox("noshow.recorded", Destination.Country("AT")));
        Assert.Equal(1, await Outbox("noshow.recorded", Destination.Role("secretariat")));
        Assert.Equal(1, await Storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE type = 'noshow.recorded' AND payload LIKE '%{german}%'"));

        // The returnee's own country records its own; the operation keeps a count per reason.
        await operation.RecordNoShow(Organiser, austrians[0], NoShowReason.Medical);
        await operation.RecordNoShow(Caller.CoordinatorOf("AT"), austrians[1], NoShowReason.Medical);
        Assert.Equal(2, await Storage.ScalarAsync("SELECT no_shows FROM operation_no_shows WHERE id = 'op-1/AT/Medical'"));
        Assert.Equal(3, await Storage.ScalarAsync("SELECT no_shows FROM operation_list WHERE id = 'op-1'"));

        // Free to be booked again by its owner.
        var next = await AnnouncedAsync(id: "op-2");
        Assert.Equal(BookingStatus.Confirmed, (await Book(next, "DE", "again", [german], escorts: 2)).Status);
    }

    [Fact]
    public async Task NoShow_only_for_confirmed_returnees_of_the_operation_after_departure()
    {
        await StartAsync();
        var (operation, austrians, german) = await DepartedAsync(depart: false);

        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => operation.RecordNoShow(Organiser, german, NoShowReason.Other)));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));
        var stranger = await Returnee("DE");
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.RecordNoShow(Organiser, stranger, NoShowReason.Other));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.RecordNoShow(German, austrians[0], NoShowReason.Other));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.RecordNoShow(Caller.CoordinatorOf("FR"), german, NoShowReason.Other));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.RecordNoShow(Caller.PartnerOf("NG"), german, NoShowReason.Other));
        var version = (await operation.GetView())!.Version;
        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.RecordNoShow(German, german, (NoShowReason)42)));
        Assert.Equal(version, (await operation.GetView())!.Version);

        var first = await operation.RecordNoShow(German, german, NoShowReason.LegalStay);
        // A repeated request answers the same and counts once; another reason for the same person is a conflict.
        Assert.Equal(first, await operation.RecordNoShow(Organiser, german, NoShowReason.LegalStay));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => operation.RecordNoShow(German, german, NoShowReason.Other)));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT no_shows FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(1, await Outbox("noshow.recorded", Destination.Role("secretariat")));

        // Still possible once completed, until retention erases the manifest.
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Completed));
        await operation.RecordNoShow(Organiser, austrians[0], NoShowReason.Resistance);
        await AdvanceAsync(TimeSpan.FromDays(10));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.RecordNoShow(Organiser, austrians[1], NoShowReason.Resistance));
    }

    [Fact]
    public async Task Retention_spares_a_no_show_rebooked_on_another_operation_and_erases_the_rest()
    {
        await StartAsync();
        var (operation, austrians, german) = await DepartedAsync();
        await operation.RecordNoShow(German, german, NoShowReason.Absconded);
        await operation.RecordNoShow(Organiser, austrians[0], NoShowReason.Medical);
        var next = await AnnouncedAsync(id: "op-2");
        await Book(next, "DE", "again", [german], escorts: 2);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Completed));

        await AdvanceAsync(TimeSpan.FromDays(10));

        Assert.NotNull((await Grains.GetGrain<IReturneeGrain>(german).Get())!.Case);
        Assert.Equal(new BookingRef("op-2", "again"), (await Grains.GetGrain<IReturneeGrain>(german).Get())!.Booking);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(austrians[0]).Get())!.Case);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(austrians[1]).Get())!.Case);
        // The counts survive the erasure.
        Assert.Equal(2, await Storage.ScalarAsync("SELECT no_shows FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(0, await Storage.ScalarAsync($"SELECT count(*) FROM grain_state WHERE grain_key = 'op-1' AND payload LIKE '%{german}%'"));
    }

    /// <summary>Austria (two returnees) and Germany (one) on a confirmed operation; departed unless told otherwise.</summary>
    private async Task<(IReturnOperationGrain Operation, string[] Austrians, string German)> DepartedAsync(bool depart = true)
    {
        var operation = await AnnouncedAsync();
        string[] austrians = [await Returnee("AT"), await Returnee("AT")];
        var german = await Returnee("DE");
        await Book(operation, "AT", "at", austrians, escorts: 4, medical: 1);
        await Book(operation, "DE", "de", [german], escorts: 2);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Caller.CoordinatorOf("AT"));
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));
        if (depart)
        {
            await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));
        }
        return (operation, austrians, german);
    }
}
