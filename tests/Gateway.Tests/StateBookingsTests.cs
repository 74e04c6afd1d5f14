using System.Net;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// <c>GET /bookings</c>: a coordinator's bookings on running operations in one list from the read model, so the
/// coordinator's page makes one request instead of one per operation. Only the caller's state; statuses follow the
/// grains in the same transaction; an ended operation leaves the list; keyset pages reach every booking once.
/// </summary>
public sealed class StateBookingsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static async Task<string> BookAsync(GatewayHost host, string token, string operation, string reference)
    {
        var returnee = await Demo.CreateReturneeAsync(host, token, reference);
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", token, Demo.Booking([returnee], escorts: 2, medical: 1));
        Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);
        return booked.Json.GetProperty("id").GetString()!;
    }

    private static JsonElement? Find(List<JsonElement> items, string booking) =>
        items.Where(i => i.GetProperty("id").GetString() == booking).Cast<JsonElement?>().SingleOrDefault();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_booking_is_in_its_states_list_only_and_follows_its_status_and_its_operations(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var organiser = host.Token("coordinator", "AT");
        var de = host.Token("coordinator", "DE");
        var hr = host.Token("coordinator", "HR");
        var operation = await Demo.CreateOperationAsync(host, organiser, clock.GetUtcNow(), ["AL", "RS"]);
        var kept = await BookAsync(host, de, operation, "DE-LIST-1");
        var cancelled = await BookAsync(host, de, operation, "DE-LIST-2");
        var croatian = await BookAsync(host, hr, operation, "HR-LIST-1");

        var mine = await ListPages.AllAsync(host, "/api/v1/bookings", de);
        var item = Find(mine, kept) ?? throw new InvalidOperationException("DE's booking is not in DE's list");
        Assert.Equal("Confirmed", item.GetProperty("status").GetString());
        Assert.Equal(4, item.GetProperty("seats").GetInt32());
        Assert.Equal(1, item.GetProperty("returneeCount").GetInt32());
        Assert.Equal(0, item.GetProperty("suspendedReturneeCount").GetInt32());
        Assert.Equal(operation, item.GetProperty("operationId").GetString());
        Assert.Equal("Joint", item.GetProperty("operationType").GetString());
        Assert.Equal(["AL", "RS"], item.GetProperty("destinations").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Announced", item.GetProperty("operationStatus").GetString());
        Assert.Equal(clock.GetUtcNow().AddDays(20).ToUnixTimeMilliseconds(), item.GetProperty("departure").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Null(Find(mine, croatian));
        var theirs = await ListPages.AllAsync(host, "/api/v1/bookings", hr);
        Assert.NotNull(Find(theirs, croatian));
        Assert.Null(Find(theirs, kept));
        Assert.Null(Find(theirs, cancelled));
        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/bookings", host.Token("coordinator", "SI")));

        // A cancelled booking stays in view as cancelled; closing bookings changes the operation's status on every row.
        Assert.Equal(204, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/operations/{operation}/bookings/{cancelled}", de)).Code);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = "BookingClosed" })).Status);
        mine = await ListPages.AllAsync(host, "/api/v1/bookings", de);
        Assert.Equal("Cancelled", Find(mine, cancelled)!.Value.GetProperty("status").GetString());
        Assert.Equal("Confirmed", Find(mine, kept)!.Value.GetProperty("status").GetString());
        Assert.All(mine.Where(i => i.GetProperty("operationId").GetString() == operation),
            i => Assert.Equal("BookingClosed", i.GetProperty("operationStatus").GetString()));

        // Filters: the booking's status and the operation's.
        Assert.Equal([cancelled], (await ListPages.AllAsync(host, "/api/v1/bookings?status=Cancelled", de)).Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([kept], (await ListPages.AllAsync(host, "/api/v1/bookings?status=Confirmed&operationStatus=BookingClosed", de)).Select(i => i.GetProperty("id").GetString()));
        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/bookings?operationStatus=Announced", de));
        Assert.Equal(2, (await ListPages.AllAsync(host, "/api/v1/bookings?operationStatus=BookingClosed", de)).Count);

        // An operation that ends takes its bookings out of the list.
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{operation}/status", organiser,
            new { to = "Cancelled", reason = "aircraft unavailable" })).Status);
        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/bookings", de));
        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/bookings", hr));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Pages_reach_every_booking_once_in_departure_operation_and_arrival_order(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var de = host.Token("coordinator", "DE");
        var expected = new List<string>();
        for (var o = 0; o < 3; o++)
        {
            var operation = await Demo.CreateOperationAsync(host, host.Token("coordinator", "AT"), clock.GetUtcNow().AddDays(2 - o), ["AL"]);
            for (var b = 0; b < 3; b++)
            {
                expected.Add(await BookAsync(host, de, operation, $"DE-PAGE-{o}-{b}"));
            }
        }

        var listed = await ListPages.AllAsync(host, "/api/v1/bookings?limit=2", de);

        var ids = listed.Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        var keys = listed.Select(i => (i.GetProperty("departure").GetDateTimeOffset(), i.GetProperty("operationId").GetString()!)).ToList();
        Assert.Equal(keys.OrderBy(k => k.Item1).ThenBy(k => k.Item2, StringComparer.Ordinal), keys);
        // The last operation created departs first; within an operation, bookings come in the order they arrived.
        Assert.Equal(expected[6..], ids[..3]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_bad_cursor_filter_or_limit_is_a_400_and_only_coordinators_list(string provider)
    {
        var host = await StartAsync(provider);
        var de = host.Token("coordinator", "DE");
        foreach (var query in new[]
        {
            "after=not-a-cursor", "after=" + Uri.EscapeDataString(Convert.ToBase64String("returnees\nx"u8.ToArray())),
            "status=Lost", "operationStatus=Completed", "operationStatus=Draft", "limit=0", "limit=501",
        })
        {
            Assert.True((await host.GetAsync("/api/v1/bookings?" + query, de)).Code == 400, query);
        }
        Assert.Equal(403, (await host.GetAsync("/api/v1/bookings", host.Token("partner", "AL"))).Code);
        Assert.Equal(403, (await host.GetAsync("/api/v1/bookings", host.Token("secretariat"))).Code);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_upgrade_fills_the_list_from_the_operations_stored_before_it(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var organiser = host.Token("coordinator", "AT");
        var de = host.Token("coordinator", "DE");
        // Capacity 10: two bookings of 4 seats fit, the next two wait; cancelling one moves HR up and DE-UP-3 waits on; a cancelled operation has no rows.
        var running = await Demo.CreateOperationAsync(host, organiser, clock.GetUtcNow(), ["AL", "RS"], seatCapacity: 10);
        await BookAsync(host, de, running, "DE-UP-1");
        var cancelled = await BookAsync(host, de, running, "DE-UP-2");
        await BookAsync(host, host.Token("coordinator", "HR"), running, "HR-UP-1");
        await BookAsync(host, de, running, "DE-UP-3");
        Assert.Equal(204, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/operations/{running}/bookings/{cancelled}", de)).Code);
        var ended = await Demo.CreateOperationAsync(host, organiser, clock.GetUtcNow(), ["AL"]);
        await BookAsync(host, de, ended, "DE-UP-4");
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{ended}/status", organiser,
            new { to = "Cancelled", reason = "aircraft unavailable" })).Status);
        var written = await RowsAsync(host);
        Assert.Equal(4, written.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("|Waitlisted|", written, StringComparison.Ordinal);

        // As before grains 5: the table is there and empty, and the bookings are in the states' JSON (as before bookingrows 1);
        // upgrade 2 fills it from grain_state and operation_list.
        var backfill = Assert.Single(ReturnOps.Grains.ReadModels.ReadModelSchema.Migrations, m => m.Module == ReturnOps.Grains.ReadModels.ReadModelSchema.UpgradeModule && m.Version == 2);
        await using (var connection = await host.Database.DataSource.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = LegacyOperationStates.Sql(provider);
            await command.ExecuteNonQueryAsync();
            command.CommandText = "DELETE FROM operation_bookings";
            await command.ExecuteNonQueryAsync();
            command.CommandText = backfill.SqlFor(provider);
            Assert.Equal(4, await command.ExecuteNonQueryAsync());
        }

        Assert.Equal(written, await RowsAsync(host));
    }

    private static async Task<string> RowsAsync(GatewayHost host)
    {
        var text = new System.Text.StringBuilder();
        await using var connection = await host.Database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM operation_bookings ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
