using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReturnOps.Grains.DemoData;
using ReturnOps.Grains.ReadModels;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.ReadModels;

/// <summary>The gateway's read-model queries run unchanged on both providers and agree with the grains.</summary>
public sealed class ReadModelQueryTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Lists_and_statistics_answer_from_the_read_models(string provider)
    {
        await StartAsync(provider);
        await DemoScenario.SeedAsync(Grains, Clock);
        var all = new OperationListFilter(null, null, null, null, null, null, null);

        var total = await QueryAsync(ReadModelLists.OperationCount(all), []);
        var page = await QueryAsync(ReadModelLists.OperationPage(all, after: false, offset: false), new() { ["limit"] = 5 });
        var toNigeria = await QueryAsync(ReadModelLists.OperationCount(all with { Destination = "NG" }), new() { ["destination_like"] = "%,NG,%" });
        var announced = await QueryAsync(ReadModelLists.OperationCount(all with { Status = "Announced" }), new() { ["status"] = "Announced" });
        var year = Clock.GetUtcNow().AddDays(30).Year;
        var byType = await QueryAsync(ReadModelQueries.OperationsByTypeAndStatus, new() { ["year"] = year });
        var carried = await QueryAsync(ReadModelQueries.ReturneesByDestinationAndParticipant, new() { ["year"] = Clock.GetUtcNow().AddDays(2).Year });
        var oversight = await QueryAsync(ReadModelQueries.Oversight, new() { ["year"] = year });
        var noShows = await QueryAsync(ReadModelQueries.NoShowsByParticipantAndReason, new() { ["year"] = Clock.GetUtcNow().AddDays(2).Year });
        var austrian = await QueryAsync(ReadModelLists.ReturneePage(new ReturneeListFilter("AT", null, true, null, null, null), after: false),
            new() { ["owner"] = "AT", ["limit"] = 100 });

        Assert.Equal(7L, Convert.ToInt64(total[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(5, page.Count);
        Assert.Equal(3L, Convert.ToInt64(toNigeria[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2L, Convert.ToInt64(announced[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(byType);
        Assert.All(carried, row => Assert.Equal("NG", row[0]));
        Assert.NotEmpty(carried);
        Assert.Single(oversight);
        // The completed demo operation (Belgium's) has one medical no-show.
        var noShow = Assert.Single(noShows);
        Assert.Equal(("BE", "Medical", 1L), ((string)noShow[0], (string)noShow[1], Convert.ToInt64(noShow[2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(DemoScenario.ReturneesPerCountry, austrian.Count);
    }

    private async Task<List<object[]>> QueryAsync(string sql, Dictionary<string, object> parameters)
    {
        await using DbConnection connection = Storage.Provider == "Postgres"
            ? new NpgsqlConnection(Storage.ConnectionString)
            : new SqliteConnection(Storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        var rows = new List<object[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
