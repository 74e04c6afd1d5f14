using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Tests.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests;

/// <summary>Starts the domain grains on a fresh database and builds cases and operations in a few words.</summary>
public abstract class DomainTestBase(SharedPostgres postgres) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private int _ids;

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    protected TestStorage Storage { get; private set; } = null!;
    protected TestCluster Cluster { get; private set; } = null!;
    protected FakeTimeProvider Clock => Cluster.Clock;

    /// <summary>The cluster client: the tests call the grains as the gateway does, through Orleans' wire format.</summary>
    protected IGrainFactory Grains => Cluster.Client;
    protected DateTimeOffset Departure => Clock.GetUtcNow().AddDays(14);
    protected DateOnly DepartureDay => DateOnly.FromDateTime(Departure.UtcDateTime);

    protected async Task StartAsync(string provider = "Sqlite", int silos = 1, Action<GrainsOptions>? options = null,
        Action<ISiloBuilder>? configure = null, IEnumerable<Migration>? migrations = null)
    {
        Storage = await TestStorage.CreateAsync(provider, postgres.GetAsync);
        _owned.Add(Storage);
        Cluster = await TestCluster.StartAsync(Storage, silos, configure, migrations, options: options);
        _owned.Insert(0, Cluster);
    }

    /// <summary>The storage under the silo, counting, failing or holding its writes on request (<see cref="StartProbedAsync"/>).</summary>
    protected ProbedStorage WriteProbe { get; private set; } = null!;

    /// <summary>Starts the cluster over <see cref="WriteProbe"/>.</summary>
    protected Task StartProbedAsync(string provider) =>
        StartAsync(provider, configure: silo => silo.Services.AddSingleton<IStorageProvider>(services =>
            WriteProbe = new ProbedStorage(Storage.CreateProvider("probed-" + Guid.NewGuid().ToString("N"), services.GetRequiredService<ILoggerFactory>()))));

    /// <summary>An eligible forced returnee of <paramref name="owner"/>; <paramref name="change"/> edits the case.</summary>
    protected async Task<string> Returnee(string owner, Func<ReturneeCase, ReturneeCase>? change = null, string? id = null)
    {
        id ??= $"r-{owner.ToLowerInvariant()}-{Interlocked.Increment(ref _ids)}";
        var returnee = EligibleCase(owner);
        await Grains.GetGrain<IReturneeGrain>(id).Register(owner, change is null ? returnee : change(returnee));
        return id;
    }

    protected ReturneeCase EligibleCase(string owner) => new(
        Reference: $"{owner}-case-{_ids}", Nationality: "NG", BirthYear: 1990, Sex: "M", FamilyGroup: null,
        UnaccompaniedMinor: false, ReceptionArrangement: null, DecisionEnforceable: true, AppealPending: false,
        AppealSuspensive: false, NonRefoulementCleared: true, TravelDocumentValidUntil: DepartureDay.AddYears(1),
        MedicalFlag: false, FitToTravelOn: null, Vulnerabilities: [], Voluntary: false);

    protected OperationPlan Plan(OperationType type = OperationType.Joint, int capacity = 50, string organiser = "AT", string destination = "NG") =>
        new(type, organiser, [destination], [new Leg("VIE", "LOS", Departure)], capacity, Departure.AddDays(-2));

    /// <summary>An operation open for bookings.</summary>
    protected async Task<IReturnOperationGrain> AnnouncedAsync(OperationPlan? plan = null, string id = "op-1")
    {
        plan ??= Plan();
        var operation = Grains.GetGrain<IReturnOperationGrain>(id);
        await operation.Create(plan);
        await operation.ChangeStatus(Caller.CoordinatorOf(plan.Organiser), new StatusChange(OperationStatus.Announced));
        return operation;
    }

    protected static Task<BookingView> Book(IReturnOperationGrain operation, string country, string bookingId, string[] returnees, int escorts, int medical = 0, int monitors = 0, int interpreters = 0) =>
        operation.RequestBooking(Caller.CoordinatorOf(country), new BookingRequest(bookingId, returnees, escorts, medical, monitors, interpreters)).Booking();

    /// <summary>Rule 6: every confirmed booking names its staff, each with a document valid a year past departure.</summary>
    protected async Task NameStaffAsync(IReturnOperationGrain operation)
    {
        var organiser = Caller.CoordinatorOf((await operation.GetView())!.Organiser);
        foreach (var booking in (await operation.GetBookings(organiser)).Where(b => b.Status == BookingStatus.Confirmed))
        {
            await operation.NameStaff(Caller.CoordinatorOf(booking.Country), booking.Id, StaffFor(booking, DepartureDay.AddYears(1)));
        }
    }

    /// <summary>One member per booked staff seat, references <c>{booking}-{role}-{n}</c>.</summary>
    protected static List<StaffMember> StaffFor(BookingView booking, DateOnly validUntil) =>
    [
        .. new[] { (StaffRole.Escort, booking.Escorts), (StaffRole.Medical, booking.Medical), (StaffRole.Monitor, booking.Monitors),
            (StaffRole.Interpreter, booking.Interpreters), (StaffRole.Observer, booking.Observers) }
            .SelectMany(c => Enumerable.Range(1, c.Item2).Select(i => new StaffMember($"{booking.Id}-{c.Item1}-{i}", c.Item1, validUntil))),
    ];

    protected static async Task<string> RuleOf(Func<Task> call) => (await Assert.ThrowsAsync<DomainRuleException>(call)).Rule;

    protected static async Task<IReadOnlyList<string>> RulesOf(Func<Task> call) =>
        [.. (await Assert.ThrowsAsync<DomainRuleException>(call)).Violations.Select(v => v.Rule)];

    /// <summary>
    /// Moves the domain clock and ticks the reminders now due: Orleans' timers run on real time, so the ticks the days
    /// just skipped would have brought are delivered here, and only those.
    /// </summary>
    protected async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Cluster.FireDueRemindersAsync();
    }

    /// <summary>The fake clock's smallest step: a deadline tried one tick before and at its time leaves a late reminder no room.</summary>
    protected static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    /// <summary>Sets the domain clock to <paramref name="at"/>, ticks the reminders due then and returns how many fired.</summary>
    protected async Task<int> FireAtAsync(DateTimeOffset at)
    {
        Clock.SetUtcNow(at);
        return await Cluster.FireDueRemindersAsync();
    }

    protected Task<long> Outbox(string type, string destination) =>
        Storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE type = '{type}' AND destination = '{destination}'");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
