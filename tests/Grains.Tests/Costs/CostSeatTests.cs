using ReturnOps.Grains.Costs;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Costs;

/// <summary>
/// Rule 19, the seats a state pays for: held at departure, and held after BookingClosed then released; not a seat released
/// before BookingClosed, nor a waitlisted one.
/// </summary>
public sealed class CostSeatTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");

    [Fact]
    public async Task Seats_released_after_BookingClosed_still_count_and_seats_released_before_do_not()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 10));
        await Book(operation, "AT", "at", [await Returnee("AT")], escorts: 2, medical: 1); // 4 seats
        await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2); // 3
        await Book(operation, "PL", "pl", [await Returnee("PL")], escorts: 2); // 3: the plane is full
        var waiting = await Book(operation, "HR", "hr", [await Returnee("HR")], escorts: 2);
        Assert.Equal(BookingStatus.Waitlisted, waiting.Status);

        var estimate = await operation.GetCostBasis();
        Assert.Equal(SeatBasis.ConfirmedNow, estimate.SeatBasis);
        Assert.Equal(new Dictionary<string, int> { ["AT"] = 4, ["DE"] = 3, ["PL"] = 3 }, estimate.Seats);

        await operation.CancelBooking(Caller.CoordinatorOf("PL"), "pl"); // before closing: PL pays nothing, HR moves up
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.CancelBooking(Caller.CoordinatorOf("DE"), "de"); // after closing: DE's 3 seats still count

        var basis = await operation.GetCostBasis();
        Assert.Equal(SeatBasis.HeldAfterBookingClosed, basis.SeatBasis);
        Assert.Equal(new Dictionary<string, int> { ["AT"] = 4, ["DE"] = 3, ["HR"] = 3 }, basis.Seats);
    }

    [Fact]
    public async Task Seats_promoted_from_the_waitlist_after_BookingClosed_count_beside_the_seats_they_replaced()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: 7));
        await Book(operation, "AT", "at", [await Returnee("AT")], escorts: 2, medical: 1); // 4
        await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2); // 3
        await Book(operation, "HR", "hr", [await Returnee("HR")], escorts: 2); // waitlisted
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        Assert.Equal(new Dictionary<string, int> { ["AT"] = 4, ["DE"] = 3 }, (await operation.GetCostBasis()).Seats);

        await operation.CancelBooking(Caller.CoordinatorOf("DE"), "de");

        // Each seat held at any time after closing: DE's released seats and HR's seats that took them.
        Assert.Equal(new Dictionary<string, int> { ["AT"] = 4, ["DE"] = 3, ["HR"] = 3 }, (await operation.GetCostBasis()).Seats);
    }

    [Fact]
    public async Task Seats_held_at_departure_count_and_a_no_show_after_departure_does_not_lower_them()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        string[] austrians = [await Returnee("AT"), await Returnee("AT")];
        var german = await Returnee("DE");
        await Book(operation, "AT", "at", austrians, escorts: 4, medical: 1); // 7
        await Book(operation, "DE", "de", [german], escorts: 2); // 3
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));

        await operation.RecordNoShow(Organiser, german, NoShowReason.Absconded);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Completed));

        var basis = await operation.GetCostBasis();
        Assert.Equal(OperationStatus.Completed, basis.Status);
        Assert.Equal(new Dictionary<string, int> { ["AT"] = 7, ["DE"] = 3 }, basis.Seats);
    }

    [Fact]
    public async Task An_operation_cancelled_before_BookingClosed_has_no_seats_for_cost()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Cancelled, "aircraft unavailable"));

        var basis = await operation.GetCostBasis();
        Assert.Empty(basis.Seats);
        Assert.Equal(SeatBasis.HeldAfterBookingClosed, basis.SeatBasis);
    }
}
