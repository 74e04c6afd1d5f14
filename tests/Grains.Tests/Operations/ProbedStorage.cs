using System.Data.Common;
using System.Globalization;
using System.Text;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// The silo's real database with a probe on its grain-state writes: it counts the bytes each write sends (the parameters:
/// state payload, outbox rows, read-model and booking rows, each value as UTF-8 text) and can make the next writes of one grain type
/// fail as a lost database would, before anything reaches the database.
/// </summary>
public sealed class ProbedStorage(IStorageProvider inner) : IStorageProvider, IGrainStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Bytes, long Writes)> _written = new(StringComparer.Ordinal);
    private string? _failType;
    private int _failures;
    private (string Type, TaskCompletionSource Started, Task Release)? _hold;

    public string Name => inner.Name;
    public IGrainStateStore GrainStorage => this;
    public DbDataSource DataSource => inner.DataSource;
    public IChangeFeed ChangeFeed => inner.ChangeFeed;

    /// <summary>Bytes and state writes of grains of <paramref name="grainType"/> counted so far.</summary>
    public (long Bytes, long Writes) Written(string grainType)
    {
        lock (_lock)
        {
            return _written.GetValueOrDefault(grainType);
        }
    }

    /// <summary>The next <paramref name="count"/> state writes of grains of <paramref name="grainType"/> throw <see cref="StorageUnavailableException"/>.</summary>
    public void FailNextWrites(string grainType, int count = 1)
    {
        lock (_lock)
        {
            _failType = grainType;
            _failures = count;
        }
    }

    /// <summary>
    /// The next state write of a grain of <paramref name="grainType"/> waits, before it reaches the database, until
    /// <paramref name="release"/> completes; the returned task completes when that write has started waiting.
    /// </summary>
    public Task HoldNextWrite(string grainType, Task release)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _hold = (grainType, started, release);
        }
        return started.Task;
    }

    public Task<StoredState> ReadAsync(GrainKey id, CancellationToken cancellationToken) => inner.GrainStorage.ReadAsync(id, cancellationToken);

    public async Task<long> WriteAsync(GrainKey id, long expectedVersion, string? payload, TurnEffects effects, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_failType == id.Type && _failures > 0)
            {
                _failures--;
                throw new StorageUnavailableException("Injected: the database went away during the write.");
            }
        }
        (string Type, TaskCompletionSource Started, Task Release)? hold = null;
        lock (_lock)
        {
            if (_hold is { } held && held.Type == id.Type)
            {
                hold = held;
                _hold = null;
            }
        }
        if (hold is { } waiting)
        {
            waiting.Started.SetResult();
            await waiting.Release;
        }
        var version = await inner.GrainStorage.WriteAsync(id, expectedVersion, payload, effects, cancellationToken);
        Count(id.Type, Encoding.UTF8.GetByteCount(payload ?? "") + SizeOf(effects));
        return version;
    }

    public async Task WriteEffectsAsync(TurnEffects effects, CancellationToken cancellationToken)
    {
        await inner.GrainStorage.WriteEffectsAsync(effects, cancellationToken);
        // Effects without a state write name no grain.
        Count("", SizeOf(effects));
    }

    public Task MigrateAsync(IEnumerable<Migration> migrations, CancellationToken cancellationToken) => inner.MigrateAsync(migrations, cancellationToken);
    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Count(string grainType, long bytes)
    {
        lock (_lock)
        {
            var (total, writes) = _written.GetValueOrDefault(grainType);
            _written[grainType] = (total + bytes, writes + 1);
        }
    }

    private static long SizeOf(TurnEffects effects) =>
        effects.Messages.Sum(m => Text(m.MessageId) + Text(m.Destination) + Text(m.Lane) + Text(m.Type) + Text(m.Payload) + 8)
        + effects.ReadModel.Sum(w => Text(w.Id) + (w is ReadModelUpsert u ? u.Columns.Values.Sum(v => Text(Convert.ToString(v, CultureInfo.InvariantCulture))) : 0));

    private static int Text(string? value) => Encoding.UTF8.GetByteCount(value ?? "");
}
