using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.PartnerSimulator;
using ReturnOps.Runtime;
using ReturnOps.Silo.Hosting;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Hosting;

/// <summary>
/// The cluster's split of work: a gateway-like replica with <c>Silo:Dispatcher</c> and <c>Silo:Reminders</c> off
/// serves grain calls, and the worker replica of <see cref="SiloWorker"/> delivers its outbox and fires its reminders.
/// Both run on one fake clock over one PostgreSQL database, as separate hosts with their own runtimes.
/// </summary>
public sealed class WorkerReplicaTests(SharedPostgres postgres) : IAsyncLifetime
{
    private const string Secret = "a-secret-of-at-least-thirty-two-characters";
    private readonly FakeClock _clock = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private TestStorage _storage = null!;

    private DateTimeOffset Departure => _clock.GetUtcNow().AddDays(14);

    [Fact]
    public async Task Outbox_written_on_a_gateway_without_dispatcher_is_delivered_by_the_worker()
    {
        var partner = await Partner.StartAsync(Secret, _clock);
        _owned.Insert(0, partner);
        var gateway = await GatewayAsync();
        await gateway.GetRequiredService<SubscriptionService>().CreateAsync("AT", "AT", new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
        var operation = await AnnouncedAsync(gateway.GetRequiredService<IGrainFactory>());
        var returnee = await ReturneeAsync(gateway.GetRequiredService<IGrainFactory>(), "AT");
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
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("returnops_outbox_backlog 0\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_due_reminder_waits_while_only_gateways_run_and_fires_on_the_worker()
    {
        var gateway = await GatewayAsync();
        Assert.False(gateway.GetRequiredService<GrainRuntime>().Options.PollReminders);
        var operation = await AnnouncedAsync(gateway.GetRequiredService<IGrainFactory>());

        _clock.Advance(TimeSpan.FromDays(13));
        Assert.Equal(OperationStatus.Announced, (await operation.GetView())!.Status);
        Assert.Equal(1, await _storage.ScalarAsync("SELECT count(*) FROM reminders WHERE name = 'booking-deadline' AND claimed_by IS NULL"));

        var worker = await WorkerAsync();
        _clock.Advance(new GrainRuntimeOptions().ReminderPollInterval);
        await Eventually.True(async () => await _storage.ScalarAsync("SELECT count(*) FROM reminders WHERE name = 'booking-deadline'") == 0,
            "the worker to fire the booking deadline");
        var onWorker = worker.Services.GetRequiredService<IGrainFactory>().GetGrain<IReturnOperationGrain>("op-1");
        Assert.Equal(OperationStatus.BookingClosed, (await onWorker.GetView())!.Status);
        // The gateway hears of the worker's write (NOTIFY) and drops its stale activation.
        await Eventually.True(async () => (await operation.GetView())!.Status == OperationStatus.BookingClosed,
            "the gateway to see the operation closed by the worker");
    }

    /// <summary>A replica that serves grain calls only, as a gateway in the cluster does.</summary>
    private async Task<IServiceProvider> GatewayAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = _storage.Provider,
            ["Storage:ConnectionString"] = _storage.ConnectionString,
            ["Silo:Name"] = "gateway-1",
            ["Silo:Dispatcher"] = "false",
            ["Silo:Reminders"] = "false",
        });
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.Configure<GrainRuntimeOptions>(o => o.CollectionInterval = Timeout.InfiniteTimeSpan);
        builder.Services.AddReturnOpsSilo(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        _owned.Insert(0, new Stopping(async () =>
        {
            await host.StopAsync();
            host.Dispose();
        }));
        return host.Services;
    }

    /// <summary>The worker replica exactly as <c>dotnet run --project src/Silo</c> builds it, on the test's clock.</summary>
    private async Task<WebApplication> WorkerAsync()
    {
        var app = SiloWorker.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = _storage.Provider,
                ["Storage:ConnectionString"] = _storage.ConnectionString,
                ["Silo:Name"] = "worker-1",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<TimeProvider>(_clock);
            builder.Services.Configure<GrainRuntimeOptions>(o => o.CollectionInterval = Timeout.InfiniteTimeSpan);
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
