using Microsoft.Extensions.Logging;
using ReturnOps.Runtime.Engine;
using ReturnOps.Runtime.Storage;

namespace ReturnOps.Runtime;

/// <summary>
/// One runtime instance ("silo"): activations, turns, reminders and the change feed over one database.
/// Several instances, in one process or many, may share a database; they coordinate only through it.
/// </summary>
public sealed partial class GrainRuntime : IGrainFactory, IAsyncDisposable
{
    private readonly GrainClassRegistry _classes;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly IReadOnlyList<object> _outgoingFilters;
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _collectionTimer;
    private int _started;

    internal GrainRuntime(
        GrainRuntimeOptions options,
        IStorageProvider storage,
        GrainClassRegistry classes,
        IServiceProvider services,
        TimeProvider clock,
        IEnumerable<Migration> migrations,
        IEnumerable<IIncomingGrainCallFilter> incomingFilters,
        IEnumerable<IOutgoingGrainCallFilter> outgoingFilters,
        ILoggerFactory loggerFactory)
    {
        Options = options;
        Storage = storage;
        _classes = classes;
        Services = services;
        Clock = clock;
        _migrations = [.. RuntimeSchema.Migrations, .. migrations];
        IncomingFilters = [.. incomingFilters];
        _outgoingFilters = [.. outgoingFilters];
        Logger = loggerFactory.CreateLogger<GrainRuntime>();
        Catalog = new Catalog(this, classes);
        Reminders = new ReminderService(this, loggerFactory.CreateLogger<ReminderService>());
    }

    public GrainRuntimeOptions Options { get; }
    public IStorageProvider Storage { get; }
    public TimeProvider Clock { get; }

    /// <summary>Due reminders of every replica sharing the database; this instance claims and fires them.</summary>
    public ReminderService Reminders { get; }

    /// <summary>Live activations in this instance.</summary>
    public int ActivationCount => Catalog.Count;

    internal IServiceProvider Services { get; }
    internal ILogger Logger { get; }
    internal Catalog Catalog { get; }
    internal IReadOnlyList<object> IncomingFilters { get; }

    /// <summary>Applies migrations, listens for other replicas' writes, and starts reminders and idle collection.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }
        await Storage.MigrateAsync(_migrations, cancellationToken);
        await Storage.ChangeFeed.SubscribeAsync(OnStateChanged, _stopping.Token);
        Reminders.Start();
        _collectionTimer = Clock.CreateTimer(_ => CollectIdleActivations(), null, Options.CollectionInterval, Options.CollectionInterval);
    }

    /// <summary>Stops reminders and deactivates every activation.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_collectionTimer is not null)
        {
            await _collectionTimer.DisposeAsync();
        }
        await Reminders.StopAsync();
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        var all = Catalog.Snapshot();
        foreach (var activation in all)
        {
            activation.RequestDeactivation(DeactivationReason.RuntimeStopping);
        }
        await Task.WhenAll(all.Select(a => a.WhenDeactivated())).WaitAsync(cancellationToken);
    }

    /// <summary>Stops the runtime and closes its database connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await Storage.DisposeAsync();
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var id = new GrainId(_classes.ForInterface(typeof(TGrainInterface)).TypeName, key);
        return (TGrainInterface)(object)GrainReferenceRegistry.Get(typeof(TGrainInterface))(this, id);
    }

    /// <summary>Deactivates activations idle for longer than the configured age; completes when they are gone.</summary>
    public Task CollectIdleActivationsAsync()
    {
        var unusedSince = Clock.GetTimestamp() - (long)(Options.IdleCollectionAge.TotalSeconds * Clock.TimestampFrequency);
        return Task.WhenAll(Catalog.CollectIdle(unusedSince));
    }

    private void CollectIdleActivations() => _ = CollectIdleActivationsAsync();

    /// <summary>Another replica committed a write: an activation holding an older version is stale.</summary>
    private void OnStateChanged(StateChange change)
    {
        if (Catalog.TryGet(change.Grain, out var activation) && activation.StateVersion < change.Version)
        {
            Catalog.Remove(activation);
            activation.RequestDeactivation(DeactivationReason.StaleState);
        }
    }

    internal Task<TResult> Invoke<TGrain, TArgs, TResult>(GrainId id, GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body) =>
        _outgoingFilters.Count > 0 ? InvokeWithOutgoingFilters(id, method, args, body) : Deliver(id, method, args, body);

    // Its own method: the closure is allocated on entry to the method that captures, so a call without
    // filters must not pass through one.
    private Task<TResult> InvokeWithOutgoingFilters<TGrain, TArgs, TResult>(GrainId id, GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body) =>
        InvokeWithFilters<TGrain, TArgs, TResult>(id, method, args, null, _outgoingFilters, () => Deliver(id, method, args, body));

    private Task<TResult> Deliver<TGrain, TArgs, TResult>(GrainId id, GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body)
    {
        var task = Catalog.GetOrActivate(id).Enqueue(method, args, body);
        return task.IsCompletedSuccessfully ? task : Complete(task, id, method, args, body);
    }

    /// <summary>
    /// The slow path of a call: waits with the call timeout, follows the call to a new activation when its
    /// activation went away, and replays it once after a version conflict.
    /// </summary>
    private async Task<TResult> Complete<TGrain, TArgs, TResult>(Task<TResult> task, GrainId id, GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body)
    {
        var replayed = false;
        var redirects = 0;
        while (true)
        {
            try
            {
                return await task.WaitAsync(Options.CallTimeout, Clock);
            }
            catch (TimeoutException) when (!task.IsCompleted)
            {
                throw new GrainCallTimeoutException(
                    $"Call to {method} on grain {id} did not complete within {Options.CallTimeout}; its outcome is unknown.");
            }
            catch (ActivationDefunctException) when (++redirects < 100)
            {
            }
            catch (InconsistentStateException ex) when (!replayed)
            {
                replayed = true;
                LogReplay(Logger, method.ToString(), id, ex.Message);
            }
            task = Catalog.GetOrActivate(id).Enqueue(method, args, body);
        }
    }

    internal async Task<TResult> InvokeWithFilters<TGrain, TArgs, TResult>(
        GrainId id, GrainMethod method, TArgs args, object? grain, IReadOnlyList<object> filters, Func<Task<TResult>> call)
    {
        var context = new GrainCallContext<TGrain, TArgs, TResult>(id, method, args, grain, filters, call);
        await context.Invoke();
        return context.TypedResult;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replaying {Method} on {Grain} after a version conflict: {Reason}")]
    private static partial void LogReplay(ILogger logger, string method, GrainId grain, string reason);
}
