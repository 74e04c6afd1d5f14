using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReturnOps.Silo.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Hosting;

/// <summary>Outbox settings that cannot work stop the worker at start instead of leaving it delivering nothing.</summary>
public sealed class MessagingSettingsTests(SharedPostgres postgres) : IAsyncLifetime
{
    private TestStorage _storage = null!;

    /// <summary>
    /// Found while setting up the failure drill (docs/reliability.md): with a 15 s lease and the default 10 s attempt
    /// timeout, every claimed lane stopped before its first message, and the worker claimed and released the same
    /// rows for ever with nothing in its log.
    /// </summary>
    [Fact]
    public async Task A_claim_lease_shorter_than_a_lane_keeps_in_hand_stops_the_worker_at_start()
    {
        await using var worker = SiloWorker.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = _storage.Provider,
                ["Storage:ConnectionString"] = _storage.ConnectionString,
                ["Cluster:Membership"] = "AdoNet",
                ["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["Cluster:AdvertisedAddress"] = "127.0.0.1",
                ["Messaging:ClaimLease"] = "00:00:15",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => worker.StartAsync());

        Assert.Contains("Messaging:ClaimLease", refused.Message, StringComparison.Ordinal);
    }

    public async ValueTask InitializeAsync() => _storage = await TestStorage.CreateAsync("Postgres", postgres.GetAsync);

    public async ValueTask DisposeAsync() => await _storage.DisposeAsync();
}
