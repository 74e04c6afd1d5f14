using ReturnOps.Grains.Countries;
using ReturnOps.Grains.DemoData;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.DemoData;

public sealed class DemoScenarioTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Fact]
    public async Task The_demo_seeds_the_jcp_participants_and_operations_in_every_state_once()
    {
        await StartAsync();

        await DemoScenario.SeedAsync(Grains, Clock);
        await DemoScenario.SeedAsync(Grains, Clock);

        var countries = await Grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List();
        Assert.Equal(19, countries.Count(c => c.Group != CountryGroup.ThirdCountry));
        Assert.Contains(countries, c => c.Code == "XK" && c.Name == "Kosovo");
        Assert.Equal(DemoScenario.BookingCountries.Count * DemoScenario.ReturneesPerCountry,
            await Storage.ScalarAsync("SELECT count(*) FROM returnee_list"));
        var statuses = new List<OperationStatus>();
        for (var i = 1; i <= 7; i++)
        {
            statuses.Add((await Grains.GetGrain<IReturnOperationGrain>($"demo-op-{i}").GetView())!.Status);
        }
        Assert.Equal(
            [OperationStatus.Announced, OperationStatus.BookingClosed, OperationStatus.Confirmed, OperationStatus.Completed,
             OperationStatus.Cancelled, OperationStatus.Draft, OperationStatus.Announced], statuses);
        Assert.True(await Storage.ScalarAsync("SELECT sum(confirmed_returnees) FROM operation_list") > 10);
        // Two readmission requests the destinations let pass (GE, PK), one still in time (NG): the board's overdue alert.
        Assert.Equal(2, await Storage.ScalarAsync(
            $"SELECT count(*) FROM readmission_requests WHERE reply_due_ms < {Clock.GetUtcNow().ToUnixTimeMilliseconds()}"));
        Assert.Equal(3, await Storage.ScalarAsync("SELECT count(*) FROM readmission_requests"));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT count(*) FROM identification_requests WHERE status = 'AwaitingIdentity'"));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT count(*) FROM identification_requests WHERE status = 'AwaitingDocument'"));
    }

    [Fact]
    public async Task Every_seeded_booking_flies_its_returnees_to_their_nationality()
    {
        await StartAsync();
        await DemoScenario.SeedAsync(Grains, Clock);

        var checkedReturnees = 0;
        for (var i = 1; i <= 7; i++)
        {
            var operation = Grains.GetGrain<IReturnOperationGrain>($"demo-op-{i}");
            var destinations = (await operation.GetView())!.Destinations;
            foreach (var country in DemoScenario.BookingCountries)
            {
                foreach (var returnee in (await operation.GetBookings(Caller.CoordinatorOf(country))).SelectMany(b => b.Returnees))
                {
                    var nationality = (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case?.Nationality;
                    Assert.True(nationality is null || destinations.Contains(nationality), $"rule 21: {returnee} ({nationality}) on demo-op-{i} to {string.Join(", ", destinations)}");
                    checkedReturnees++;
                }
            }
        }
        Assert.True(checkedReturnees > 10, $"only {checkedReturnees} booked demo returnees were checked");
    }
}
