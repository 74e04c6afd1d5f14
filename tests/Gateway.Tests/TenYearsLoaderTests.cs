using System.Net;
using System.Text.Json;
using ReturnOps.Grains;
using ReturnOps.Grains.Returnees;
using ReturnOps.TenYears;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The volume benchmark (bench/TenYears) writes its rows with SQL of its own; these tests hold those rows to what the
/// application writes: the gateway serves them as it serves its own, and a case it registers has the same row shape.
/// </summary>
public sealed class TenYearsLoaderTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Loaded_rows_are_served_by_the_gateway_as_its_own(string provider)
    {
        var host = await StartAsync(provider);
        var data = DataSet.Build(operations: 40, cases: 600);
        await Loader.LoadAsync(provider, host.Storage.ConnectionString, data);

        foreach (var owner in data.Cases.GroupBy(c => c.Owner))
        {
            var token = host.Token("coordinator", owner.Key);
            var listed = new List<string>();
            string? after = null;
            do
            {
                var page = await host.GetAsync("/api/v1/returnees?includeErased=true&limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), token);
                Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
                foreach (var item in page.Json.GetProperty("items").EnumerateArray())
                {
                    listed.Add(item.GetProperty("id").GetString()!);
                    var generated = owner.Single(c => c.Id == item.GetProperty("id").GetString());
                    Assert.Equal(DataSet.StatusOf(generated.State).ToString(), item.GetProperty("status").GetString());
                }
                after = page.Json.GetProperty("nextAfter").GetString();
            }
            while (after is not null);
            Assert.Equal(owner.Select(c => c.Id).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }
        foreach (var c in data.Cases.Where(c => !c.State.Erased).Take(10))
        {
            var read = await host.GetAsync($"/api/v1/returnees/{c.Id}", host.Token("coordinator", c.Owner));
            Assert.True(read.Status == HttpStatusCode.OK, read.ToString());
            Assert.Equal(c.State.Case!.Reference, read.Json.GetProperty("reference").GetString());
            Assert.Equal(DataSet.StatusOf(c.State).ToString(), read.Json.GetProperty("status").GetString());
        }
        var operation = data.Operations.First(o => o.State.Bookings.Count > 0);
        var organiser = host.Token("coordinator", operation.State.Plan!.Organiser);
        var view = await host.GetAsync($"/api/v1/operations/{operation.Id}", organiser);
        Assert.True(view.Status == HttpStatusCode.OK, view.ToString());
        Assert.Equal(operation.State.Status.ToString(), view.Json.GetProperty("status").GetString());
        var bookings = await host.GetAsync($"/api/v1/operations/{operation.Id}/bookings", organiser);
        Assert.Equal(operation.State.Bookings.Select(b => b.Id), bookings.Json.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        // GET /bookings: a state's bookings on the generated operations that have not ended, from the loaded rows.
        var running = data.Operations.Where(o => ReturnOps.Grains.ReadModels.ReadModelSchema.Running.Contains(o.State.Status)).SelectMany(o => o.State.Bookings)
            .GroupBy(b => b.Country).OrderByDescending(g => g.Count()).FirstOrDefault();
        if (running is not null)
        {
            var state = await host.GetAsync("/api/v1/bookings?limit=500", host.Token("coordinator", running.Key));
            Assert.True(state.Status == HttpStatusCode.OK, state.ToString());
            Assert.Equal(running.Select(b => b.Id).Order(StringComparer.Ordinal),
                state.Json.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_case_registered_through_the_api_has_the_rows_the_loader_writes_for_its_state(string provider)
    {
        var host = await StartAsync(provider);
        var id = await Demo.CreateReturneeAsync(host, host.Token("coordinator", "DE"), "DE-2024-000001");
        var payload = await ScalarTextAsync(host, $"SELECT payload FROM grain_state WHERE grain_type = 'returnee' AND grain_key = '{id}'");
        var state = JsonSerializer.Deserialize(payload, GrainsJsonContext.Default.ReturneeState)!;

        var rows = Loader.CaseRows(new GeneratedCase(id, "DE", state, TimeProvider.System.GetUtcNow())).ToList();
        // The stored state is the loader's JSON for the same state, byte for byte.
        Assert.Equal(payload, rows[0].Values[2]);
        // The list row: the same columns and values (the write time aside).
        var listRow = rows[1];
        Assert.Contains("returnee_list", listRow.Sql, StringComparison.Ordinal);
        foreach (var (column, value) in new[] { ("owner", "DE"), ("status", ReturneeStatus.Available.ToString()), ("operation_id", ""), ("nationality", "AL"), ("reference", "DE-2024-000001") })
        {
            Assert.Equal(value, await ScalarTextAsync(host, $"SELECT {column} FROM returnee_list WHERE id = '{id}'"));
            Assert.Equal(value, listRow.Values[ColumnIndex(listRow.Sql, column)]);
        }
    }

    private static int ColumnIndex(string insert, string column)
    {
        var columns = insert[(insert.IndexOf('(', StringComparison.Ordinal) + 1)..insert.IndexOf(')', StringComparison.Ordinal)].Split(", ");
        return Array.IndexOf(columns, column);
    }

    private static async Task<string> ScalarTextAsync(GatewayHost host, string sql)
    {
        await using var connection = await host.Database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
