namespace ReturnOps.Storage;

/// <summary>
/// One schema change. <paramref name="Module"/> separates the runtime's schema from the domain's;
/// versions are applied in order within a module, each exactly once; the ones a database lacks are applied together in one
/// transaction (<see cref="MigrationRunner"/>).
/// </summary>
public sealed record Migration(string Module, int Version, string Name, string PostgresSql, string SqliteSql)
{
    public string SqlFor(string provider) => provider switch
    {
        "Postgres" => PostgresSql,
        "Sqlite" => SqliteSql,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown storage provider."),
    };
}
