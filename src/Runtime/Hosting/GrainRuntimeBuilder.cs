using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReturnOps.Runtime.Engine;
using ReturnOps.Runtime.Storage;
using ReturnOps.Runtime.Storage.Postgres;
using ReturnOps.Runtime.Storage.Sqlite;

namespace ReturnOps.Runtime.Hosting;

/// <summary>Configures a runtime: its grains, state serialization, schema and database.</summary>
public sealed class GrainRuntimeBuilder
{
    private readonly List<Assembly> _assemblies = [];
    private readonly List<IJsonTypeInfoResolver> _resolvers = [];
    private readonly List<Migration> _migrations = [];
    private Func<IServiceProvider, GrainRuntimeOptions, IStorageProvider>? _storage;

    internal GrainRuntimeBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    /// <summary>Registers every grain class of <paramref name="assembly"/>.</summary>
    public GrainRuntimeBuilder AddGrains(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>Grain states are serialized with source-generated metadata from these contexts.</summary>
    public GrainRuntimeBuilder AddJsonContext(JsonSerializerContext context)
    {
        _resolvers.Add(context);
        return this;
    }

    /// <summary>Schema changes of a module that stores rows next to the runtime's (read models).</summary>
    public GrainRuntimeBuilder AddMigrations(IEnumerable<Migration> migrations)
    {
        _migrations.AddRange(migrations);
        return this;
    }

    public GrainRuntimeBuilder UsePostgres(string connectionString)
    {
        _storage = (sp, options) => new PostgresStorageProvider(connectionString, options.SiloName, sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        return this;
    }

    public GrainRuntimeBuilder UseSqlite(string connectionString)
    {
        _storage = (_, options) => new SqliteStorageProvider(connectionString, options.SiloName);
        return this;
    }

    /// <summary>Storage by name, as in configuration: <c>Postgres</c> or <c>Sqlite</c>.</summary>
    public GrainRuntimeBuilder UseStorage(string provider, string connectionString) => provider switch
    {
        _ when provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) => UsePostgres(connectionString),
        _ when provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => UseSqlite(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Storage:Provider must be Postgres or Sqlite."),
    };

    internal void Register()
    {
        var storage = _storage ?? throw new InvalidOperationException("Choose a storage provider: UsePostgres or UseSqlite.");
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = JsonTypeInfoResolver.Combine([.. _resolvers]) };
        json.MakeReadOnly();
        var assemblies = _assemblies.ToArray();
        var migrations = _migrations.ToArray();
        Services.AddOptions<GrainRuntimeOptions>();
        Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value;
            return new GrainRuntime(
                options,
                storage(sp, options),
                new GrainClassRegistry(assemblies, json),
                sp,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                migrations,
                sp.GetServices<IIncomingGrainCallFilter>(),
                sp.GetServices<IOutgoingGrainCallFilter>(),
                sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        });
        Services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
    }
}

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>Adds a grain runtime; start it with <see cref="GrainRuntime.StartAsync"/> (the silo host does).</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeBuilder> configure)
    {
        var builder = new GrainRuntimeBuilder(services);
        configure(builder);
        builder.Register();
        return services;
    }
}
