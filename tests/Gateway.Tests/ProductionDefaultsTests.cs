using System.Net;
using Microsoft.Extensions.Configuration;
using ReturnOps.Gateway.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Issue 11, defect 8: appsettings.json seeded the demo scenario in Production (seven demo operations appeared).</summary>
public sealed class ProductionDefaultsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_production_gateway_on_an_empty_database_has_the_participants_and_no_demo_operations(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider, Postgres.GetAsync);
        // No test default for the switch: the gateway's own appsettings.json decides, as in a deployment.
        await using var host = await GatewayHost.StartAsync(storage, settings: new Dictionary<string, string?> { ["Gateway:SeedDemoData"] = null }, environment: "Production");

        var operations = await host.GetAsync("/api/v1/operations?pageSize=200", host.Token("secretariat"));
        Assert.Equal(HttpStatusCode.OK, operations.Status);
        Assert.Equal(0, operations.Json.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/api/v1/operations/demo-op-1", host.Token("secretariat"))).Status);
        var countries = await host.GetAsync("/api/v1/countries", host.Token("secretariat"));
        Assert.Contains("\"AT\"", countries.Body);
    }

    /// <summary><c>dotnet run --project src/Gateway</c> runs in Development (launchSettings.json) and still shows the demo data.</summary>
    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    public void Demo_data_is_switched_on_by_the_development_settings_only(string environment, bool seeded)
    {
        var project = Path.Combine(RepositoryFiles.Root(), "src", "Gateway");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(project, "appsettings.json"))
            .AddJsonFile(Path.Combine(project, $"appsettings.{environment}.json"), optional: true)
            .Build();
        var options = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        Assert.Equal(seeded, options.SeedDemoData);
        Assert.Contains("\"ASPNETCORE_ENVIRONMENT\": \"Development\"", File.ReadAllText(Path.Combine(project, "Properties", "launchSettings.json")));
    }

    /// <summary>Issue 16: at Information Npgsql logged every command; /statistics lost 12 % of its rate and a gateway wrote 18 MB in 18 s.</summary>
    [Fact]
    public void Production_defaults_keep_database_logs_at_warning()
    {
        var root = RepositoryFiles.Root();
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "src", "Gateway", "appsettings.json")).Build();
        Assert.Equal("Warning", configuration["Logging:LogLevel:Npgsql"]);
        Assert.Equal("Warning", configuration["Logging:LogLevel:Microsoft.Data.Sqlite"]);
        foreach (var manifest in new[] { "gateway.yaml", "silo.yaml" })
        {
            Assert.Contains("- {name: Logging__LogLevel__Npgsql, value: Warning}", File.ReadAllText(Path.Combine(root, "deploy", "k8s", manifest)));
        }
    }
}
