using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Hosting;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Hosting;

/// <summary>
/// The cluster as deployed: silo replicas of <see cref="SiloWorker"/> and gateways that are Orleans clients
/// (<see cref="SiloHosting.AddReturnOpsClient"/>), meeting in PostgreSQL's membership table (<c>Cluster:Membership=AdoNet</c>)
/// on loopback ports of their own. Every host runs in this process with its own container, on one fake domain clock
/// (the keyed <see cref="DomainClock"/>; Orleans' own clocks stay real) over one PostgreSQL database.
/// </summary>
public sealed class WorkerReplicaTests(SharedPostgres postgres) : IAsyncLifetime
{
    private const string Secret = "a-secret-of-at-least-thirty-two-characters";
    private readonly FakeTimeProvider _clock = new(TestCluster.Start);
    private readonly List<IAsyncDisposable> _owned = [];
    private TestStorage _storage = null!;

    private DateTimeOffset Departure => _clock.GetUtcNow().AddDays(14);

    /// <summary>
    /// Grains hosted by a silo with <c>Silo:Dispatcher=false</c>, called through a gateway, write the outbox; nothing is
    /// sent until a silo replica with the dispatcher joins, and that replica delivers all of it to the partner's webhook.
    /// </summary>
    [Fact]
    public async Task Outbox_written_on_a_silo_without_dispatcher_is_delivered_by_the_worker()
    {
        var partner = await Partner.StartAsync(Secret, _clock);
        _owned.Insert(0, partner);
        await SiloAsync("silo-without-dispatcher", dispatcher: false);
        var gateway = await GatewayAsync();
        await gateway.GetRequiredService<SubscriptionService>().CreateAsync("AT", "AT", new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
        var operation = await AnnouncedAsync(gateway.GetRequiredService<IClusterClient>());
        var returnee = await ReturneeAsync(gateway.GetRequiredService<IClusterClient>(), "AT");
        await operation.RequestBooking(Caller.CoordinatorOf("AT"), new BookingRequest("booking-at-1", [returnee], Escorts: 2));

        var toAustria = await _storage.ScalarAsync("SELECT count(*) FROM outbox WHERE destination = 'country:AT'");
        Assert.True(toAustria >= 2, $"announcing and booking write messages to AT; found {toAustria}");
        Assert.Equal(toAustria, await _storage.ScalarAsync("SELECT count(*) FROM outbox WHERE destination = 'country:AT' AND status = 'pending'"));
        Assert.Empty(partner.Received);

        var worker = await WorkerAsync();
        await Eventually.True(() => partner.Applied.Count == toAustria, $"the worker to deliver {toAustria} messages to AT's webhook");
        await Eventually.True(async () => await _storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
            "every outbox message to be delivered or closed");
        Assert.Contains(partner.Applied, d => d.Type == "operation.announced");
        Assert.Equal(toAustria, await _storage.ScalarAsync("SELECT count(*) FROM outbox WHERE destination = 'country:AT' AND status = 'delivered'"));

        using var http = new HttpClient { BaseAddress = new Uri(worker.Urls.First()) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        // Ready means joined: the worker's row in Orleans' membership table is Active (3). Its web host starts after the silo.
        Assert.Equal(1, await _storage.ScalarAsync("SELECT count(*) FROM OrleansMembershipTable WHERE SiloName = 'worker-1' AND Status = 3"));
        var metrics = await http.GetStringAsync("/metrics");
        // OpenTelemetry's exporter writes an unlabelled sample with empty braces, which Prometheus reads as the same series.
        Assert.Matches(new Regex(@"^returnops_outbox_backlog(\{\})? 0$", RegexOptions.Multiline), metrics);
        // Orleans' own instruments (activations, messaging, membership) beside ours.
        Assert.Matches(new Regex("^orleans_[a-z_]+[ {]", RegexOptions.Multiline), metrics);
    }

    /// <summary>Issue 14: a silo's /metrics was anonymous; it now takes the gateway's rule (a scraper's token, else loopback only).</summary>
    [Fact]
    public async Task With_a_metrics_token_a_silo_scrape_must_present_it()
    {
        var worker = await WorkerAsync(metricsToken: "silo-scrape-secret-0123456789");
        using var http = new HttpClient { BaseAddress = new Uri(worker.Urls.First()) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new("Bearer", "silo-scrape-wrong") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new("Bearer", "silo-scrape-secret-0123456789") } };
        var scrape = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("returnops_outbox_dead ", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The booking deadline is an Orleans reminder in PostgreSQL, registered through a gateway and dated by the domain clock
    /// (<see cref="DomainReminders"/>). Orleans' timers run on real time (days away here), so the test delivers the ticks the
    /// clock brought through the worker's silo, as its reminder service would: none before the deadline, one after it, which
    /// closes bookings and removes the reminder, and the gateway sees the operation closed.
    /// </summary>
    [Fact]
    public async Task A_due_reminder_fires_on_the_worker_and_the_gateway_sees_its_effect()
    {
        var worker = await WorkerAsync();
        var gateway = await GatewayAsync();
        var operation = await AnnouncedAsync(gateway.GetRequiredService<IClusterClient>());
        Assert.Equal(1, await _storage.ScalarAsync("SELECT count(*) FROM OrleansRemindersV2 WHERE ReminderName = 'booking-deadline'"));

        Assert.Equal(0, await FireDueRemindersAsync(worker.Services));
        Assert.Equal(OperationStatus.Announced, (await operation.GetView())!.Status);
        _clock.Advance(TimeSpan.FromDays(13));

        Assert.Equal(1, await FireDueRemindersAsync(worker.Services));
        await Eventually.True(async () => await _storage.ScalarAsync("SELECT count(*) FROM OrleansRemindersV2 WHERE ReminderName = 'booking-deadline'") == 0,
            "the worker to fire the booking deadline");
        var onWorker = worker.Services.GetRequiredService<IGrainFactory>().GetGrain<IReturnOperationGrain>("op-1");
        Assert.Equal(OperationStatus.BookingClosed, (await onWorker.GetView())!.Status);
        await Eventually.True(async () => (await operation.GetView())!.Status == OperationStatus.BookingClosed,
            "the gateway to see the operation closed by the worker");
    }

    /// <summary>Ticks the reminders due on the domain clock (the whole hash ring) through the silo's grain factory.</summary>
    private Task<int> FireDueRemindersAsync(IServiceProvider silo) =>
        DomainReminders.FireDueAsync(silo.GetRequiredService<IReminderTable>(), silo.GetRequiredService<IGrainFactory>(), _clock);

    /// <summary>The settings every process of the test's cluster shares, and a replica's own name and ports.</summary>
    private Dictionary<string, string?> Settings(string name) => new()
    {
        ["Storage:Provider"] = _storage.Provider,
        ["Storage:ConnectionString"] = _storage.ConnectionString,
        ["Cluster:Membership"] = "AdoNet",
        ["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Cluster:AdvertisedAddress"] = "127.0.0.1",
        ["Silo:Name"] = name,
        // The partner listens on 127.0.0.1: the gateway accepts its subscription, the worker delivers to it.
        ["Messaging:AllowLoopbackWebhooks"] = "true",
    };

    /// <summary>A silo replica without the web host, as the gateway co-hosts one; <paramref name="dispatcher"/> is <c>Silo:Dispatcher</c>.</summary>
    private async Task<IServiceProvider> SiloAsync(string name, bool dispatcher)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        var settings = Settings(name);
        settings["Silo:Dispatcher"] = dispatcher.ToString();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddKeyedSingleton<TimeProvider>(DomainClock.Key, _clock);
        builder.Services.AddDomainReminderClock(_clock);
        builder.AddReturnOpsSilo();
        return await StartAsync(builder.Build());
    }

    /// <summary>A gateway replica in the cluster: an Orleans client finding the silos in PostgreSQL, holding no grains.</summary>
    private async Task<IServiceProvider> GatewayAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = _storage.Provider,
            ["Storage:ConnectionString"] = _storage.ConnectionString,
            ["Cluster:Membership"] = "AdoNet",
            ["Silo:Name"] = "gateway-1",
            ["Messaging:AllowLoopbackWebhooks"] = "true",
        });
        builder.Services.AddKeyedSingleton<TimeProvider>(DomainClock.Key, _clock);
        builder.AddReturnOpsClient();
        return await StartAsync(builder.Build());
    }

    private async Task<IServiceProvider> StartAsync(IHost host)
    {
        await host.StartAsync();
        _owned.Insert(0, new Stopping(async () =>
        {
            await host.StopAsync();
            host.Dispose();
        }));
        return host.Services;
    }

    /// <summary>The silo replica exactly as <c>dotnet run --project src/Silo</c> builds it, on the test's domain clock.</summary>
    private async Task<WebApplication> WorkerAsync(string? metricsToken = null)
    {
        var app = SiloWorker.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.Configuration.AddInMemoryCollection(Settings("worker-1"));
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Silo:MetricsToken"] = metricsToken });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddKeyedSingleton<TimeProvider>(DomainClock.Key, _clock);
            builder.Services.AddDomainReminderClock(_clock);
            builder.Services.Configure<MessagingOptions>(o => o.Random = new Random(7));
        });
        await app.StartAsync();
        _owned.Insert(0, new Stopping(async () =>
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }));
        return app;
    }

    private async Task<IReturnOperationGrain> AnnouncedAsync(IGrainFactory grains)
    {
        var plan = new OperationPlan(OperationType.Joint, "AT", ["NG"], [new Leg("VIE", "LOS", Departure)], 50, Departure.AddDays(-2));
        var operation = grains.GetGrain<IReturnOperationGrain>("op-1");
        await operation.Create(plan);
        await operation.ChangeStatus(Caller.CoordinatorOf("AT"), new StatusChange(OperationStatus.Announced));
        return operation;
    }

    private async Task<string> ReturneeAsync(IGrainFactory grains, string owner)
    {
        var id = $"r-{owner.ToLowerInvariant()}-1";
        await grains.GetGrain<IReturneeGrain>(id).Register(owner, new ReturneeCase(
            Reference: $"{owner}-case-1", Nationality: "NG", BirthYear: 1990, Sex: "M", FamilyGroup: null,
            UnaccompaniedMinor: false, ReceptionArrangement: null, DecisionEnforceable: true, AppealPending: false,
            AppealSuspensive: false, NonRefoulementCleared: true, TravelDocumentValidUntil: DateOnly.FromDateTime(Departure.UtcDateTime).AddYears(1),
            MedicalFlag: false, FitToTravelOn: null, Vulnerabilities: [], Voluntary: false));
        return id;
    }

    public async ValueTask InitializeAsync() => _storage = await TestStorage.CreateAsync("Postgres", postgres.GetAsync);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        await _storage.DisposeAsync();
    }

    private sealed class Stopping(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }
}
