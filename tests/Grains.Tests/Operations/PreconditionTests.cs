using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>If-Match inside the operation's turn: a stale expected version is refused and changes nothing.</summary>
public sealed class PreconditionTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Fact]
    public async Task A_stale_expected_version_is_refused_and_changes_nothing()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var read = (await operation.GetView())!.Version;
        var first = await Returnee("AT");
        var booked = await operation.RequestBooking(Caller.CoordinatorOf("AT"), new BookingRequest("b-1", [first], 2), read).Booking();
        Assert.Equal(BookingStatus.Confirmed, booked.Status);
        var after = (await operation.GetView())!;
        Assert.NotEqual(read, after.Version);

        // Every call that takes a precondition refuses the version read before the booking.
        var second = await Returnee("AT");
        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            operation.RequestBooking(Caller.CoordinatorOf("AT"), new BookingRequest("b-2", [second], 2), read).Booking());
        await Assert.ThrowsAsync<PreconditionFailedException>(() => operation.AssignMonitor(Caller.SecretariatUser(), "m1", read));
        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            operation.ChangeStatus(Caller.CoordinatorOf("AT"), new StatusChange(OperationStatus.Cancelled), read));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => operation.CancelBooking(Caller.CoordinatorOf("AT"), "b-1", read));

        var unchanged = (await operation.GetView())!;
        Assert.Equal(after.Version, unchanged.Version);
        Assert.Equal(OperationStatus.Announced, unchanged.Status);
        Assert.Empty(unchanged.AssignedMonitors);
        var bookings = await operation.GetBookings(Caller.CoordinatorOf("AT"));
        Assert.Equal(BookingStatus.Confirmed, Assert.Single(bookings).Status);
        // The refused booking reserved nothing: the returnee books freely afterwards, with the current version.
        var later = await operation.RequestBooking(Caller.CoordinatorOf("AT"), new BookingRequest("b-3", [second], 2), unchanged.Version).Booking();
        Assert.Equal(BookingStatus.Confirmed, later.Status);
    }

    [Fact]
    public async Task Of_two_calls_with_the_same_expected_version_only_the_first_gets_through()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var read = (await operation.GetView())!.Version;
        var results = await Task.WhenAll(
            Outcome(operation.AssignMonitor(Caller.SecretariatUser(), "m1", read)),
            Outcome(operation.AssignMonitor(Caller.SecretariatUser(), "m2", read)));
        Assert.Single(results, ok => ok);
        Assert.Single((await operation.GetView())!.AssignedMonitors);
    }

    [Fact]
    public async Task No_expected_version_is_no_precondition()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await operation.AssignMonitor(Caller.SecretariatUser(), "m1");
        var view = await operation.AssignMonitor(Caller.SecretariatUser(), "m2", expectedVersion: null);
        Assert.Equal(["m1", "m2"], view.AssignedMonitors);
    }

    private static async Task<bool> Outcome(Task call)
    {
        try
        {
            await call;
            return true;
        }
        catch (PreconditionFailedException)
        {
            return false;
        }
    }
}
