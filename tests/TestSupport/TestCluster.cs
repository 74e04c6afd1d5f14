using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using ReturnOps.Grains;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.TestSupport;

/// <summary>
/// The domain grains on 1..N Orleans silos in this process (Orleans' <see cref="InProcessTestCluster"/>: in-memory
/// transport, membership and grain directory) over one test database, with one fake domain clock.
/// </summary>
/// <remarks>
/// Each silo opens its own <see cref="IStorageProvider"/> (own connection pool and change feed, named after the silo),
/// as replicas over one PostgreSQL do; its container disposes it when the silo stops. Orleans' own clocks stay real
/// time: <see cref="Clock"/> is registered only as the domain's keyed clock (<see cref="DomainClock.Key"/>).
/// Reminders live in Orleans' in-memory reminder table, a grain on one silo: a test that stops silos loses them.
/// They are dated by the domain clock (<see cref="DomainReminders"/>) but Orleans' timers run on real time, so its own ticks
/// come only after the domain time has come and a real wait has passed; <see cref="FireDueRemindersAsync"/> delivers the
/// ticks the domain clock has brought, and only those.
/// </remarks>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>The fake clock's start: a Sunday morning, as every test has assumed since the first version.</summary>
    public static DateTimeOffset Start { get; } = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private readonly InProcessTestCluster _cluster;

    private TestCluster(InProcessTestCluster cluster, FakeTimeProvider clock)
    {
        _cluster = cluster;
        Clock = clock;
    }

    /// <summary>The domain's clock, shared by every silo.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The cluster client: calls enter through a silo's gateway, as the gateway's calls do in cluster mode.</summary>
    public IClusterClient Client => _cluster.Client;

    /// <summary>The running silos, oldest first.</summary>
    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    /// <summary>Silo <paramref name="index"/>'s own grain factory: calls that start inside that silo, as a co-hosted gateway's do.</summary>
    public IGrainFactory this[int index] => Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Migrates <paramref name="storage"/> (<see cref="StorageSchema.Migrations"/>, <see cref="GrainsModule.Migrations"/>
    /// and <paramref name="migrations"/>), then starts <paramref name="silos"/> silos hosting the domain grains and a client.
    /// </summary>
    /// <param name="configure">Runs on every silo after the domain grains are added: later registrations win.</param>
    /// <param name="clock">The domain clock; a new one at <see cref="Start"/> if none.</param>
    /// <param name="options">The domain's settings (<see cref="GrainsOptions"/>).</param>
    public static async Task<TestCluster> StartAsync(
        TestStorage storage,
        int silos = 1,
        Action<ISiloBuilder>? configure = null,
        IEnumerable<Migration>? migrations = null,
        FakeTimeProvider? clock = null,
        Action<GrainsOptions>? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        await using (var database = storage.CreateProvider("test-migrations"))
        {
            await database.MigrateAsync([.. StorageSchema.Migrations, .. GrainsModule.Migrations, .. migrations ?? []], CancellationToken.None);
        }
        var domainClock = clock ?? new FakeTimeProvider(Start);
        var builder = new InProcessTestClusterBuilder((short)silos);
        // Orleans writes a log file per silo by default; a failing test explains itself without them.
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((silo, orleans) =>
        {
            orleans.Services.AddKeyedSingleton<TimeProvider>(DomainClock.Key, domainClock);
            orleans.Services.AddSingleton(services => storage.CreateProvider(silo.SiloName, services.GetRequiredService<ILoggerFactory>()));
            orleans.UseInMemoryReminderService();
            orleans.Services.AddDomainReminderClock(domainClock);
            orleans.AddReturnOpsGrains(options);
            configure?.Invoke(orleans);
        });
        builder.ConfigureClient(client => client.AddReturnOpsGrainClient());
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return new TestCluster(cluster, domainClock);
    }

    /// <summary>
    /// Delivers a tick of every reminder due on <see cref="Clock"/> (<see cref="DomainReminders.FireDueAsync"/>), in due order,
    /// one at a time, and returns how many it delivered. Call it after moving <see cref="Clock"/>.
    /// </summary>
    public Task<int> FireDueRemindersAsync() =>
        DomainReminders.FireDueAsync(Silos[0].ServiceProvider.GetRequiredService<IReminderTable>(), Client, Clock);

    /// <summary>Deactivates every activation of a ReturnOps grain on every silo and waits until each is gone.</summary>
    public async Task DeactivateDomainGrainsAsync()
    {
        foreach (var grain in await DomainActivationsAsync())
        {
            await _cluster.DeactivateAsync(grain);
        }
    }

    /// <summary>How many activations of ReturnOps grains (domain and test grains, not Orleans' own) the silos hold.</summary>
    public async Task<int> DomainActivationCountAsync() => (await DomainActivationsAsync()).Count;

    /// <summary>How many activations of <paramref name="grain"/> the silos hold together: Orleans promises at most one.</summary>
    public async Task<int> ActivationCountAsync(IAddressable grain)
    {
        var id = grain.GetGrainId();
        return (await DomainActivationsAsync()).Count(activation => activation == id);
    }

    /// <summary>Starts one more silo; it joins the cluster and takes its share of grains and reminders.</summary>
    public async Task<InProcessSiloHandle> AddSiloAsync()
    {
        var silo = await _cluster.StartAdditionalSiloAsync();
        await _cluster.WaitForLivenessToStabilizeAsync();
        return silo;
    }

    /// <summary>Stops silo <paramref name="index"/> as a shutdown would: its activations are deactivated, its grains move.</summary>
    public async Task StopSiloAsync(int index)
    {
        await _cluster.StopSiloAsync(Silos[index]);
        await _cluster.WaitForLivenessToStabilizeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private async Task<List<GrainId>> DomainActivationsAsync()
    {
        var statistics = await Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics.Where(s => s.GrainType.StartsWith("ReturnOps.", StringComparison.Ordinal)).Select(s => s.GrainId)];
    }
}
