using System.Text.Json;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Operations stored before the booking rows (bookingrows 1) kept their bookings in the state's JSON and had the storage
/// version as ETag: they read back whole, keep their ETag, and their next write moves the bookings into rows.
/// </summary>
public sealed class BookingRowsUpgradeTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_operation_stored_with_its_bookings_in_the_json_reads_back_and_moves_them_into_rows(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync();
        await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2);
        await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);
        var before = JsonSerializer.Serialize(await operation.GetBookings(Caller.CoordinatorOf("AT")));
        await Cluster.DeactivateDomainGrainsAsync();
        await Storage.ExecuteAsync(LegacyOperationStates.Sql(provider));
        var storedVersion = await Storage.ScalarAsync("SELECT version FROM grain_state WHERE grain_key = 'op-1'");

        var read = (await operation.GetView())!;
        Assert.Equal(storedVersion, read.Version);
        Assert.Equal(before, JsonSerializer.Serialize(await operation.GetBookings(Caller.CoordinatorOf("AT"))));
        await Book(operation, "FR", "b3", [await Returnee("FR")], escorts: 2);
        await Cluster.DeactivateDomainGrainsAsync();

        Assert.Equal(["b1", "b2", "b3"], (await operation.GetBookings(Caller.CoordinatorOf("AT"))).Select(b => b.Id));
        Assert.Equal(3, await Storage.ScalarAsync("SELECT count(*) FROM booking_state WHERE operation_id = 'op-1'"));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM grain_state WHERE grain_key = 'op-1' AND payload LIKE '%\"bookings\"%'"));
        Assert.Equal(read.Version + 1, (await operation.GetView())!.Version);
    }
}
