using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>What our migration runner leaves behind for Orleans' providers, before any silo starts.</summary>
public sealed class SchemaTests(SharedPostgres postgres)
{
    [Theory]
    [InlineData("Postgres", 16)]
    [InlineData("Sqlite", 7)]
    public async Task The_orleans_migrations_are_recorded_and_fill_the_query_table(string provider, int queries)
    {
        await using var database = await TestDatabase.CreateAsync(provider, postgres);

        // SQLite has reminder queries only; its clustering migration is a no-op that the runner still records.
        Assert.Equal(queries, await database.ScalarAsync("SELECT count(*) FROM OrleansQuery"));
        Assert.Equal(OrleansSchema.Migrations.Count, await database.ScalarAsync($"SELECT count(*) FROM schema_migrations WHERE module = '{OrleansSchema.Module}'"));
    }
}
