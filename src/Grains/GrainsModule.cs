using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Runtime.Hosting;
using ReturnOps.Runtime.Storage;

namespace ReturnOps.Grains;

/// <summary>Everything a silo needs to host the domain grains.</summary>
public static class GrainsModule
{
    public static IReadOnlyList<Migration> Migrations => ReadModelSchema.Migrations;

    public static JsonSerializerContext JsonContext => GrainsJsonContext.Default;

    /// <summary>Registers the domain grains, their state serialization, read-model tables and <see cref="GrainsOptions"/>.</summary>
    public static GrainRuntimeBuilder AddReturnOpsGrains(this GrainRuntimeBuilder builder, Action<GrainsOptions>? configure = null)
    {
        var options = new GrainsOptions();
        configure?.Invoke(options);
        builder.Services.TryAddSingleton(options);
        return builder
            .AddGrains(typeof(GrainsModule).Assembly)
            .AddJsonContext(GrainsJsonContext.Default)
            .AddMigrations(Migrations);
    }
}
