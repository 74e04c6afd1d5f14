using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Rules 4, 8 and 11 and the booking window through the grain: what it gathers for the decision (the returnees' judgments and
/// holds, the family grain's members, the plan's escort ratio, the clock) and what it stores. The rules themselves are decided
/// and tested with no cluster in <c>Decisions/</c>.
/// </summary>
public sealed class BookingRuleTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Fact]
    public async Task Capacity_booking_that_does_not_fit_is_waitlisted_whole()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 10));

        var first = await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2);
        var second = await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);
        var third = await Book(operation, "HU", "b3", [await Returnee("HU")], escorts: 2);
        var fourth = await Book(operation, "BE", "b4", [await Returnee("BE")], escorts: 2);

        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Confirmed, BookingStatus.Confirmed, BookingStatus.Waitlisted],
            [first.Status, second.Status, third.Status, fourth.Status]);
        var view = (await operation.GetView())!;
        Assert.Equal(new SeatSummary(10, 9, 3, 1), view.Seats);
    }

    [Fact]
    public async Task EscortRatio_two_escorts_per_forced_returnee_by_default()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        string[] two = [await Returnee("AT"), await Returnee("AT")];

        Assert.Equal(RuleCode.EscortRatio, await RuleOf(() => Book(operation, "AT", "b1", two, escorts: 3)));
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b2", two, escorts: 4)).Status);
    }

    [Fact]
    public async Task EscortRatio_is_a_per_operation_setting_and_voluntary_returnees_need_none()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan() with { EscortsPerReturnee = 1 });
        var forced = await Returnee("AT");
        var voluntary = await Returnee("AT", c => c with { Voluntary = true });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [forced, voluntary], escorts: 1)).Status);
    }

    [Fact]
    public async Task EscortRatio_a_voluntary_charter_asks_no_escorts_even_of_a_forced_returnee()
    {
        await StartAsync();
        var charter = await AnnouncedAsync(Plan(OperationType.VoluntaryCharter));
        var forced = await Returnee("AT");

        // Refused for being forced on a voluntary charter, and for that only: the charter's exemption from rule 8 holds.
        Assert.Equal([RuleCode.VoluntaryOnly], await RulesOf(() => Book(charter, "AT", "b1", [forced], escorts: 0)));
    }

    [Fact]
    public async Task FamilyUnity_a_family_member_missing_from_the_booking_is_refused()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var mother = await Returnee("AT", c => c with { FamilyGroup = "f1", Voluntary = true });
        var child = await Returnee("AT", c => c with { FamilyGroup = "f1", Voluntary = true });

        Assert.Equal(RuleCode.FamilyUnity, await RuleOf(() => Book(operation, "AT", "b1", [mother], escorts: 0)));
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b2", [mother, child], escorts: 0)).Status);
    }

    [Fact]
    public async Task BookingClosed_after_the_deadline_even_before_the_reminder_fires()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        Clock.Advance(TimeSpan.FromDays(13));

        Assert.Equal(RuleCode.BookingClosed, await RuleOf(() => Book(operation, "AT", "b1", [returnee], escorts: 2)));
    }

    [Fact]
    public async Task A_retried_booking_with_the_same_id_changes_nothing()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");

        var first = await Book(operation, "AT", "b1", [returnee], escorts: 2);
        var again = await Book(operation, "AT", "b1", [returnee], escorts: 2);

        Assert.Equal((first.Status, first.Sequence, first.Seats), (again.Status, again.Sequence, again.Seats));
        Assert.Equal(first.Returnees, again.Returnees);
        Assert.Equal(3, (await operation.GetView())!.Seats.Confirmed);
    }

    [Fact]
    public async Task A_returnee_holds_one_seat_only()
    {
        await StartAsync();
        var first = await AnnouncedAsync(id: "op-a");
        var second = await AnnouncedAsync(id: "op-b");
        var returnee = await Returnee("AT");
        await Book(first, "AT", "b1", [returnee], escorts: 2);

        Assert.Equal(RuleCode.AlreadyBooked, await RuleOf(() => Book(second, "AT", "b2", [returnee], escorts: 2)));
    }

    [Fact]
    public async Task A_country_books_only_its_own_returnees()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var german = await Returnee("DE");

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Book(operation, "AT", "b1", [german], escorts: 2)));
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(german).Get())!.Booking);
    }

    [Fact]
    public async Task Cancelling_a_booking_releases_its_returnees()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        await Book(operation, "AT", "b1", [returnee], escorts: 2);

        await operation.CancelBooking(Caller.CoordinatorOf("AT"), "b1");

        Assert.Equal(ReturneeStatus.Available, (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Status);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.CancelBooking(Caller.CoordinatorOf("DE"), "b1"));
    }

    [Fact]
    public async Task The_operation_list_row_is_written_with_the_booking()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 3));
        await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2);
        await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);

        Assert.Equal(3, await Storage.ScalarAsync("SELECT confirmed_seats FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(3, await Storage.ScalarAsync("SELECT waitlisted_seats FROM operation_list WHERE id = 'op-1'"));
        Assert.Equal(2, await Storage.ScalarAsync("SELECT count(*) FROM operation_participants WHERE operation_id = 'op-1'"));
    }
}
