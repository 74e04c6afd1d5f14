using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Returnees;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// What storage holds of an operation besides its header, as this activation last wrote it: each booking's row, the status
/// on the booking-list rows, each country's participation row and the returnees held. A write sends only the rows that
/// moved since (<see cref="Changes"/>), and they are remembered once it commits (<see cref="Remember"/>): a failed write
/// leaves this as it was, and the activation that failed is dropped anyway. No I/O here.
/// </summary>
internal sealed class StoredOperation(OperationStatus status, IReadOnlyDictionary<string, string> bookings, IReadOnlyDictionary<string, string> holds)
{
    /// <summary>Each stored booking's JSON by id, as the database holds it: a booking whose JSON differs is written again.</summary>
    private readonly Dictionary<string, string> _bookings = new(bookings, StringComparer.Ordinal);

    /// <summary>The status stored last: when it moves, every booking-list row carries the new operation status.</summary>
    private OperationStatus _status = status;

    /// <summary>
    /// Each country's participation row as stored last: only rows whose values moved are sent (spread over 20 operations,
    /// every write rewrote every country's row, 6 rows per booking). Empty after activation, so the first write sends them all.
    /// </summary>
    private readonly Dictionary<string, IReadOnlyDictionary<string, object?>> _participants = new(StringComparer.Ordinal);

    /// <summary>The returnees this operation holds as stored (<see cref="ReturneeHolds"/>), each with its booking's id.</summary>
    private IReadOnlyDictionary<string, string> _holds = holds;

    /// <summary>The rows one write sends, and what to remember once it commits.</summary>
    public sealed record Change(
        IReadOnlyList<ReadModelWrite> Rows,
        IReadOnlyDictionary<string, string> Bookings,
        IReadOnlyList<ReadModelUpsert> Participants,
        IReadOnlyDictionary<string, string> Holds,
        OperationStatus Status);

    /// <summary>
    /// The rows that moved between what is stored and <paramref name="state"/>: changed bookings, read-model rows of the
    /// operation (participation rows only where their values moved), and the hold rows of <paramref name="nowHeld"/>.
    /// </summary>
    public Change Changes(string operationId, ReturnOperationState state, IReadOnlyDictionary<string, string> nowHeld,
        Func<string, ReturneeHolds.Hold> holdFor, DateTimeOffset now)
    {
        var rows = new List<ReadModelWrite>();
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var position = 0; position < state.Bookings.Count; position++)
        {
            var booking = state.Bookings[position];
            var json = BookingRows.Json(booking);
            if (!_bookings.TryGetValue(booking.Id, out var stored) || stored != json)
            {
                changed[booking.Id] = json;
                rows.Add(BookingRows.Row(operationId, position, json));
            }
        }
        var statusMoved = state.Status != _status;
        var participants = new List<ReadModelUpsert>();
        foreach (var row in ReadModelSchema.OperationRows(operationId, state, now, b => statusMoved || changed.ContainsKey(b.Id)))
        {
            if (row is ReadModelUpsert { Table: ReadModelSchema.Participants } participant)
            {
                if (_participants.TryGetValue(participant.Id, out var stored) && SameColumns(stored, participant.Columns))
                {
                    continue;
                }
                participants.Add(participant);
            }
            rows.Add(row);
        }
        rows.AddRange(HoldRows(operationId, nowHeld, holdFor));
        return new Change(rows, changed, participants, nowHeld, state.Status);
    }

    /// <summary>The write of <paramref name="change"/> committed: it is what storage holds now.</summary>
    public void Remember(Change change)
    {
        foreach (var (id, json) in change.Bookings)
        {
            _bookings[id] = json;
        }
        foreach (var participant in change.Participants)
        {
            _participants[participant.Id] = participant.Columns;
        }
        _holds = change.Holds;
        _status = change.Status;
    }

    /// <summary>
    /// The hold rows that moved: a returnee newly held gets its row (which fails the write if another booking holds it: the
    /// backstop) and shows as booked in the returnee list; one let go loses its row.
    /// </summary>
    private IEnumerable<ReadModelWrite> HoldRows(string operationId, IReadOnlyDictionary<string, string> nowHeld, Func<string, ReturneeHolds.Hold> holdFor)
    {
        foreach (var (returnee, booking) in nowHeld)
        {
            if (_holds.TryGetValue(returnee, out var stored) && stored == booking)
            {
                continue;
            }
            if (stored is not null)
            {
                // Held by another booking of this operation now (a suspended booking cancelled, the returnee booked again).
                yield return ReturneeHolds.Delete(returnee);
            }
            yield return ReturneeHolds.Insert(returnee, holdFor(booking));
            yield return ReturneeHolds.Booked(returnee, operationId);
        }
        foreach (var returnee in _holds.Keys.Where(r => !nowHeld.ContainsKey(r)))
        {
            yield return ReturneeHolds.Delete(returnee);
            yield return ReturneeHolds.Released(returnee);
        }
    }

    private static bool SameColumns(IReadOnlyDictionary<string, object?> stored, IReadOnlyDictionary<string, object?> next) =>
        stored.Count == next.Count && next.All(c => stored.TryGetValue(c.Key, out var value) && Equals(value, c.Value));
}
