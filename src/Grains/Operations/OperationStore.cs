using System.Text.Json;
using ReturnOps.Grains.Returnees;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// An operation's storage: its header (the state's JSON under a version), its booking rows and its hold rows. Read on
/// activation; written whole in one transaction with the effects a write carries, which are passed here explicitly, and only
/// the rows that moved (<see cref="StoredOperation"/>).
/// </summary>
internal sealed class OperationStore(IStorageProvider storage, GrainKey key)
{
    /// <summary>The stored version the next write must find (0: never written).</summary>
    private long _version;

    private StoredOperation _stored = new(OperationStatus.Draft, new Dictionary<string, string>(), new Dictionary<string, string>());

    private string Id => key.Key;

    /// <summary>The stored state with its bookings, or a new one if the operation was never written.</summary>
    public async Task<ReturnOperationState> LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await storage.GrainStorage.ReadAsync(key, cancellationToken);
        _version = stored.Version;
        var state = stored.Payload is null ? new ReturnOperationState() : JsonSerializer.Deserialize(stored.Payload, GrainsJsonContext.Default.ReturnOperationState)!;
        var bookings = new Dictionary<string, string>(StringComparer.Ordinal);
        var holds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (state.LegacyBookings is { } legacy)
        {
            // Stored before the booking rows: the bookings come from the JSON, and no row holds them yet.
            state.Bookings = legacy;
            state.LegacyBookings = null;
        }
        else if (state.Plan is not null)
        {
            foreach (var (booking, json) in await BookingRows.LoadAsync(storage.DataSource, Id))
            {
                state.Bookings.Add(booking);
                bookings[booking.Id] = json;
            }
        }
        if (state.Plan is not null)
        {
            holds = await ReturneeHolds.OfOperationAsync(storage, Id);
        }
        if (state.Revision == 0)
        {
            // A state stored before the revision: its ETag was the storage version, and the revision carries on from it.
            state.Revision = _version;
        }
        _stored = new StoredOperation(state.Status, bookings, holds);
        return state;
    }

    /// <summary>
    /// Writes <paramref name="state"/> with <paramref name="effects"/>: the header, the rows that moved and the hold rows of
    /// <paramref name="holds"/>. Everything up to the store's call runs without an await, so what is written is the memory
    /// of this moment. A stale version throws <see cref="Orleans.Storage.InconsistentStateException"/> and writes nothing.
    /// </summary>
    public async Task WriteAsync(ReturnOperationState state, IReadOnlyDictionary<string, string> holds, EligibilityContext? holdFor,
        TurnEffects effects, DateTimeOffset now)
    {
        var change = _stored.Changes(Id, state, holds, booking => new ReturneeHolds.Hold(new BookingRef(Id, booking), holdFor), now);
        effects.AddRange(change.Rows);
        var payload = JsonSerializer.Serialize(state, GrainsJsonContext.Default.ReturnOperationState);
        _version = await storage.GrainStorage.WriteAsync(key, _version, payload, effects, CancellationToken.None);
        _stored.Remember(change);
    }
}
