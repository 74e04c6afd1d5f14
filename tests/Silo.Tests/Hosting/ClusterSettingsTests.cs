using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting.Kubernetes;
using ReturnOps.Silo.Hosting;

namespace ReturnOps.Silo.Tests.Hosting;

/// <summary>
/// The <c>Cluster:*</c> keys reach Orleans' options (failure detection on silos, gateway list and response timeout on
/// clients), unset keys keep Orleans' defaults, and Kubernetes hosting is added only when asked for. Nothing is started:
/// the hosts are built and their options read.
/// </summary>
public sealed class ClusterSettingsTests
{
    private static readonly Dictionary<string, string?> s_cluster = new()
    {
        ["Storage:Provider"] = "Postgres",
        // Never opened: building a host connects to nothing.
        ["Storage:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none",
        ["Cluster:Membership"] = "AdoNet",
        ["Cluster:AdvertisedAddress"] = "127.0.0.1",
    };

    [Fact]
    public async Task Failure_detection_keys_set_orleans_membership_options()
    {
        await using var silo = BuildSilo(new()
        {
            ["Cluster:ProbeTimeout"] = "00:00:01",
            ["Cluster:NumMissedProbesLimit"] = "2",
            ["Cluster:NumVotesForDeathDeclaration"] = "1",
            ["Cluster:TableRefreshTimeout"] = "00:00:05",
            ["Cluster:DeathVoteExpirationTimeout"] = "00:00:30",
            ["Cluster:IAmAliveTablePublishTimeout"] = "00:00:10",
        });

        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(2, membership.NumMissedProbesLimit);
        Assert.Equal(1, membership.NumVotesForDeathDeclaration);
        Assert.Equal(TimeSpan.FromSeconds(5), membership.TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), membership.DeathVoteExpirationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), membership.IAmAliveTablePublishTimeout);
        // Orleans derives the adaptive probe bounds from the probe timeout unless they are set.
        Assert.Equal(TimeSpan.FromMilliseconds(500), membership.MinProbeTimeout);
    }

    [Fact]
    public async Task Unset_failure_detection_keys_keep_orleans_defaults()
    {
        await using var silo = BuildSilo([]);

        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var defaults = new ClusterMembershipOptions();

        Assert.Equal(defaults.ProbeTimeout, membership.ProbeTimeout);
        Assert.Equal(defaults.NumMissedProbesLimit, membership.NumMissedProbesLimit);
        Assert.Equal(defaults.NumVotesForDeathDeclaration, membership.NumVotesForDeathDeclaration);
        Assert.Equal(defaults.TableRefreshTimeout, membership.TableRefreshTimeout);
        Assert.Equal(defaults.DeathVoteExpirationTimeout, membership.DeathVoteExpirationTimeout);
        Assert.Equal(defaults.IAmAliveTablePublishTimeout, membership.IAmAliveTablePublishTimeout);
    }

    [Fact]
    public async Task Kubernetes_hosting_is_added_only_when_cluster_kubernetes_is_true()
    {
        await using var plain = BuildSilo([]);
        await using var inPod = BuildSilo(new() { ["Cluster:Kubernetes"] = "true", ["Cluster:AdvertisedAddress"] = null });

        Assert.Empty(plain.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>());
        Assert.NotEmpty(inPod.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>());
    }

    [Fact]
    public void Kubernetes_hosting_without_adonet_membership_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClusterSettings.From(Configuration(new()
        {
            ["Cluster:Membership"] = "Localhost",
            ["Cluster:Kubernetes"] = "true",
        })));

        Assert.Contains("Cluster:Kubernetes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_probe_timeout_that_is_not_positive_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClusterSettings.From(Configuration(new() { ["Cluster:ProbeTimeout"] = "00:00:00" })));

        Assert.Contains("Cluster:ProbeTimeout", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_client_takes_the_gateway_list_period_and_response_timeout_and_retries_its_first_connection()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Merge(new()
        {
            ["Cluster:GatewayListRefreshPeriod"] = "00:00:05",
            ["Cluster:ResponseTimeout"] = "00:00:05",
        }));
        builder.Logging.ClearProviders();
        builder.AddReturnOpsClient();
        using var client = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(5), client.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), client.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        // A gateway that starts before any silo waits for the cluster instead of failing.
        Assert.IsType<ClusterConnectionRetry>(client.Services.GetRequiredService<IClientConnectionRetryFilter>());
    }

    /// <summary>The dashboard samples every five seconds unless set (its counting is a silo's cost; docs/operations.md).</summary>
    [Fact]
    public async Task The_dashboard_samples_every_five_seconds_unless_silo_dashboard_sample_interval_says_otherwise()
    {
        await using var byDefault = BuildSilo([]);
        await using var eachSecond = BuildSilo(new() { ["Silo:DashboardSampleInterval"] = "00:00:01" });
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Merge(new() { ["Silo:DashboardSampleInterval"] = "00:00:02" }));
        builder.Logging.ClearProviders();
        builder.AddReturnOpsClient();
        using var client = builder.Build();

        Assert.Equal(5000, byDefault.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
        Assert.Equal(1000, eachSecond.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
        Assert.Equal(2000, client.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
    }

    private static WebApplication BuildSilo(Dictionary<string, string?> settings) => SiloWorker.Build([], builder =>
    {
        builder.Environment.EnvironmentName = "Testing";
        builder.Configuration.AddInMemoryCollection(Merge(settings));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
    });

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> settings)
    {
        var merged = new Dictionary<string, string?>(s_cluster);
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }
        return merged;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(Merge(settings)).Build();
}
