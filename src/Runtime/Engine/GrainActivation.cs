using Microsoft.Extensions.Logging;

namespace ReturnOps.Runtime.Engine;

/// <summary>
/// One live instance of a grain with its mailbox. A call that finds the activation idle runs inline on
/// the caller's thread; otherwise it waits in FIFO order. Writers run alone; read-only calls may overlap
/// each other. A turn holds the activation across its awaits (no reentrancy).
/// </summary>
internal sealed partial class GrainActivation
{
    private readonly Lock _lock = new();
    private readonly GrainClassInfo _class;
    private Queue<Turn>? _queue;
    private int _runningReaders;
    private bool _writerRunning;
    private bool _pumping;
    private Status _status = Status.Activating;
    private DeactivationReason? _deactivationRequested;
    private Exception? _activationFailure;
    private TaskCompletionSource? _deactivated;
    private TurnEffects? _effects;
    private bool _writeFailed;
    private Grain? _grain;
    private IStateHolder? _state;
    private long _lastUsed;

    private enum Status { Activating, Active, Deactivating, Defunct }

    public GrainActivation(GrainRuntime runtime, GrainId id, GrainClassInfo grainClass)
    {
        Runtime = runtime;
        Id = id;
        _class = grainClass;
        _lastUsed = runtime.Clock.GetTimestamp();
    }

    public GrainRuntime Runtime { get; }
    public GrainId Id { get; }
    public long LastUsed => Volatile.Read(ref _lastUsed);
    public long StateVersion => _state?.Version ?? 0;
    public TurnEffects Effects => _effects ??= new TurnEffects();

    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _status == Status.Active && !_writerRunning && _runningReaders == 0 && (_queue is null || _queue.Count == 0);
            }
        }
    }

    /// <summary>Queues the activation work ahead of every call.</summary>
    public void Start()
    {
        lock (_lock)
        {
            (_queue ??= new Queue<Turn>()).Enqueue(new LifecycleTurn(ActivateAsync));
        }
        Pump();
    }

    public Task<TResult> Enqueue<TGrain, TArgs, TResult>(GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body)
    {
        Volatile.Write(ref _lastUsed, Runtime.Clock.GetTimestamp());
        Turn<TGrain, TArgs, TResult> turn;
        lock (_lock)
        {
            if (_status == Status.Defunct)
            {
                turn = null!;
            }
            else
            {
                var idle = _status == Status.Active && _deactivationRequested is null && !_writerRunning
                && (_queue is null || _queue.Count == 0) && (method.ReadOnly || _runningReaders == 0);
                if (!idle)
                {
                    turn = new Turn<TGrain, TArgs, TResult>(method, args, body);
                    (_queue ??= new Queue<Turn>()).Enqueue(turn);
                }
                else
                {
                    MarkRunning(method.ReadOnly);
                    turn = null!;
                }
            }
        }
        if (turn is not null)
        {
            Pump();
            return turn.Task;
        }
        return _status == Status.Defunct
            ? Runtime.Catalog.GetOrActivate(Id).Enqueue(method, args, body)
            : RunTurn(method, args, body);
    }

    /// <summary>Takes over a call that was waiting on a dropped activation of the same grain, keeping its order.</summary>
    private void Accept(Turn turn)
    {
        lock (_lock)
        {
            if (_status != Status.Defunct)
            {
                (_queue ??= new Queue<Turn>()).Enqueue(turn);
                turn = null!;
            }
        }
        if (turn is null)
        {
            Pump();
        }
        else
        {
            Runtime.Catalog.GetOrActivate(Id).Accept(turn);
        }
    }

    /// <summary>Runs one call inside its turn and ends the turn; the mailbox was marked running by the caller.</summary>
    public async Task<TResult> RunTurn<TGrain, TArgs, TResult>(GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body)
    {
        try
        {
            if (_status != Status.Active)
            {
                throw _activationFailure ?? new ActivationDefunctException();
            }
            var grain = (TGrain)(object)_grain!;
            var result = await (Runtime.IncomingFilters.Count == 0 ? body(grain, args) : InvokeWithIncomingFilters(method, args, grain, body));
            if (_effects is { IsEmpty: false } effects)
            {
                await Runtime.Storage.GrainStorage.WriteEffectsAsync(effects, CancellationToken.None);
                effects.Clear();
            }
            return result;
        }
        catch (Exception ex) when (ex is not ActivationDefunctException)
        {
            _effects?.Clear();
            if (ex is InconsistentStateException || _writeFailed)
            {
                // Memory may now be ahead of storage: drop this activation before the caller hears of the
                // failure, so that a replay reads fresh state in a new activation.
                Runtime.Catalog.Remove(this);
                RequestDeactivation(DeactivationReason.WriteFailed);
            }
            throw;
        }
        finally
        {
            EndTurn(method.ReadOnly);
        }
    }

    // Its own method: the closure is allocated on entry to the method that captures, so a call without
    // filters must not pass through one.
    private Task<TResult> InvokeWithIncomingFilters<TGrain, TArgs, TResult>(GrainMethod method, TArgs args, TGrain grain, Func<TGrain, TArgs, Task<TResult>> body) =>
        Runtime.InvokeWithFilters<TGrain, TArgs, TResult>(Id, method, args, grain, Runtime.IncomingFilters, () => body(grain, args));

    /// <summary>Writes the state with this turn's effects; see <see cref="IPersistentState{TState}.WriteStateAsync"/>.</summary>
    public async Task<long> WriteStateAsync(long expectedVersion, string? payload)
    {
        try
        {
            var version = await Runtime.Storage.GrainStorage.WriteAsync(Id, expectedVersion, payload, _effects ?? TurnEffects.None, CancellationToken.None);
            _effects?.Clear();
            return version;
        }
        catch
        {
            _writeFailed = true;
            throw;
        }
    }

    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (_status is Status.Defunct or Status.Deactivating || _deactivationRequested is not null)
            {
                return;
            }
            _deactivationRequested = reason;
        }
        Pump();
    }

    /// <summary>Completes when the activation is gone (after <see cref="RequestDeactivation"/>).</summary>
    public Task WhenDeactivated()
    {
        lock (_lock)
        {
            if (_status == Status.Defunct)
            {
                return Task.CompletedTask;
            }
            return (_deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public void EndTurn(bool readOnly)
    {
        lock (_lock)
        {
            if (readOnly)
            {
                _runningReaders--;
            }
            else
            {
                _writerRunning = false;
            }
        }
        Pump();
    }

    /// <summary>
    /// Starts queued turns while the mailbox allows. Not reentrant: a turn that completes synchronously
    /// inside the loop does not recurse, the loop just picks the next one.
    /// </summary>
    private void Pump()
    {
        lock (_lock)
        {
            if (_pumping)
            {
                return;
            }
            _pumping = true;
        }
        while (true)
        {
            Turn? next;
            lock (_lock)
            {
                next = NextRunnable();
                if (next is null)
                {
                    _pumping = false;
                    return;
                }
            }
            next.Start(this);
        }
    }

    private Turn? NextRunnable()
    {
        if (_writerRunning)
        {
            return null;
        }
        if (_deactivationRequested is { } reason && _status == Status.Active)
        {
            if (_runningReaders > 0)
            {
                return null;
            }
            _status = Status.Deactivating;
            MarkRunning(readOnly: false);
            return DeactivationTurn(reason);
        }
        if (_queue is null || _queue.Count == 0)
        {
            return null;
        }
        var head = _queue.Peek();
        if (!head.ReadOnly && _runningReaders > 0)
        {
            return null;
        }
        MarkRunning(head.ReadOnly);
        return _queue.Dequeue();
    }

    // Its own method: a lambda capturing the pattern variable in NextRunnable would allocate its closure
    // on every call of NextRunnable, deactivating or not.
    private LifecycleTurn DeactivationTurn(DeactivationReason reason) => new(() => DeactivateAsync(reason));

    private void MarkRunning(bool readOnly)
    {
        if (readOnly)
        {
            _runningReaders++;
        }
        else
        {
            _writerRunning = true;
        }
    }

    private async Task ActivateAsync()
    {
        try
        {
            if (_class.StateType is not null)
            {
                var stored = await Runtime.Storage.GrainStorage.ReadAsync(Id, CancellationToken.None);
                _state = _class.CreateState(this, stored);
            }
            _grain = _class.Create(Runtime.Services, _state);
            _grain.Attach(this);
            await _grain.OnActivateAsync(CancellationToken.None);
            lock (_lock)
            {
                _status = Status.Active;
            }
        }
        catch (Exception ex)
        {
            _activationFailure = ex;
            Runtime.Catalog.Remove(this);
            foreach (var turn in TakeQueued())
            {
                turn.Fail(ex);
            }
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        Runtime.Catalog.Remove(this);
        try
        {
            await _grain!.OnDeactivateAsync(reason, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogDeactivationFailed(Runtime.Logger, Id, ex);
        }
        var waiting = TakeQueued();
        if (waiting.Length > 0)
        {
            // Calls that waited here go, in their order, to a fresh activation that reads the latest state.
            var next = Runtime.Catalog.GetOrActivate(Id);
            foreach (var turn in waiting)
            {
                next.Accept(turn);
            }
        }
    }

    /// <summary>Marks the activation gone and returns the calls that were waiting on it.</summary>
    private Turn[] TakeQueued()
    {
        Turn[] waiting;
        TaskCompletionSource? deactivated;
        lock (_lock)
        {
            _status = Status.Defunct;
            waiting = _queue is null ? [] : [.. _queue];
            _queue?.Clear();
            deactivated = _deactivated;
        }
        deactivated?.TrySetResult();
        return waiting;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnDeactivateAsync of grain {Grain} failed")]
    private static partial void LogDeactivationFailed(ILogger logger, GrainId grain, Exception ex);
}
