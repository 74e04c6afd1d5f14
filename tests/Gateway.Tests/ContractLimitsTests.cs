using System.Net;
using ReturnOps.Grains.Operations;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 11, defect 1: counts of the booking contract are bounded (docs/security.md). The review's booking of
/// int.MaxValue escorts and medical staff on a 10-seat operation was confirmed with -1 seats; it is refused now and
/// changes nothing, in the operation's view or in the database.
/// </summary>
public sealed class ContractLimitsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_reviews_overflowing_booking_is_422_and_changes_nothing(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var op = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"], seatCapacity: 10);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-OVF-1");
        var viewBefore = (await host.GetAsync($"/api/v1/operations/{op}", at)).Json.GetProperty("seats").ToString();
        var rowsBefore = await DomainRows.SnapshotAsync(host);

        var refused = await host.PostAsync($"/api/v1/operations/{op}/bookings", at,
            new { returnees = new[] { returnee }, escorts = int.MaxValue, medical = int.MaxValue, monitors = 0, interpreters = 0, observers = 0 });

        Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity, refused.ToString());
        Assert.Equal("application/problem+json", refused.ContentHeaders?.ContentType?.MediaType);
        Assert.Equal("validation", refused.Json.GetProperty("rule").GetString());
        var view = (await host.GetAsync($"/api/v1/operations/{op}", at)).Json.GetProperty("seats");
        Assert.Equal(viewBefore, view.ToString());
        Assert.Equal(0, view.GetProperty("confirmed").GetInt32());
        Assert.Equal(10, view.GetProperty("free").GetInt32());
        Assert.Equal(rowsBefore, await DomainRows.SnapshotAsync(host));

        var booked = await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([returnee], 2, 1));
        Assert.True(booked.Status == HttpStatusCode.Created, booked.ToString());
        Assert.Equal(4, booked.Json.GetProperty("seats").GetInt32());
        var after = (await host.GetAsync($"/api/v1/operations/{op}", at)).Json.GetProperty("seats");
        Assert.Equal((4, 6), (after.GetProperty("confirmed").GetInt32(), after.GetProperty("free").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_booking_count_beyond_its_maximum_is_422(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var op = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"], seatCapacity: BookingLimits.MaxSeatCapacity);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-OVF-2");
        var rowsBefore = await DomainRows.SnapshotAsync(host);
        object[] bodies =
        [
            new { returnees = new[] { returnee }, escorts = BookingLimits.MaxEscorts + 1, medical = 0, monitors = 0, interpreters = 0, observers = 0 },
            new { returnees = new[] { returnee }, escorts = 2, medical = BookingLimits.MaxMedical + 1, monitors = 0, interpreters = 0, observers = 0 },
            new { returnees = new[] { returnee }, escorts = 2, medical = 0, monitors = BookingLimits.MaxMonitors + 1, interpreters = 0, observers = 0 },
            new { returnees = new[] { returnee }, escorts = 2, medical = 0, monitors = 0, interpreters = BookingLimits.MaxInterpreters + 1, observers = 0 },
            new { returnees = new[] { returnee }, escorts = 2, medical = 0, monitors = 0, interpreters = 0, observers = BookingLimits.MaxObservers + 1 },
            new { returnees = new[] { returnee }, escorts = 2, medical = int.MinValue, monitors = 0, interpreters = 0, observers = 0 },
        ];
        foreach (var body in bodies)
        {
            var answer = await host.PostAsync($"/api/v1/operations/{op}/bookings", at, body);
            Assert.True(answer.Status == HttpStatusCode.UnprocessableEntity && answer.Json.GetProperty("rule").GetString() == "validation", answer.ToString());
        }
        Assert.Equal(rowsBefore, await DomainRows.SnapshotAsync(host));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_operation_beyond_the_seat_and_escort_ratio_maxima_is_422(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();
        var rowsBefore = await DomainRows.SnapshotAsync(host);
        foreach (var capacity in new[] { BookingLimits.MaxSeatCapacity + 1, int.MaxValue })
        {
            var answer = await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["AL"], capacity));
            Assert.True(answer.Status == HttpStatusCode.UnprocessableEntity && answer.Json.GetProperty("rule").GetString() == "validation", answer.ToString());
        }
        var ratio = await host.PostAsync("/api/v1/operations", at, new
        {
            type = "Joint",
            destinations = new[] { "AL" },
            legs = new[] { new { from = "VIE", to = "TIA", departure = now.AddDays(20) } },
            seatCapacity = 40,
            bookingDeadline = now.AddDays(10),
            escortsPerReturnee = 79228162514264337593543950335m,
        });
        Assert.True(ratio.Status == HttpStatusCode.UnprocessableEntity && ratio.Json.GetProperty("rule").GetString() == "validation", ratio.ToString());
        Assert.Equal(rowsBefore, await DomainRows.SnapshotAsync(host));
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/api/v1/operations", at, Demo.Operation(now, ["AL"], BookingLimits.MaxSeatCapacity))).Status);
    }
}
