using System.Globalization;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Returnees;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// What a write stores: the operation's header (its state JSON), the rows of the bookings that changed since the last
/// write (<see cref="BookingRows"/>) and the read-model rows, in one transaction with the staged messages.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    /// <summary>Each stored booking's JSON by id, as the database holds it: a booking whose JSON differs is written again.</summary>
    private readonly Dictionary<string, string> _storedBookings = new(StringComparer.Ordinal);

    /// <summary>The status stored last: when it moves, every booking-list row carries the new operation status.</summary>
    private OperationStatus _storedStatus;

    /// <summary>
    /// Each country's participation row as this activation stored it last: a write sends only the rows whose values moved
    /// (spread over 20 operations, every batch rewrote every country's row, 6 rows per booking). Empty after activation, so
    /// the first write sends them all.
    /// </summary>
    private readonly Dictionary<string, IReadOnlyDictionary<string, object?>> _storedParticipants = new(StringComparer.Ordinal);

    /// <summary>The returnees this operation holds as stored (<see cref="ReturneeHolds"/>), each with its booking's id.</summary>
    private Dictionary<string, string> _storedHolds = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.LegacyBookings is { } legacy)
        {
            // Stored before the booking rows: the bookings come from the JSON, and no row holds them yet.
            S.Bookings = legacy;
            S.LegacyBookings = null;
        }
        else if (S.Plan is not null)
        {
            foreach (var (booking, json) in await BookingRows.LoadAsync(ServiceProvider.GetRequiredService<IStorageProvider>().DataSource, Id))
            {
                S.Bookings.Add(booking);
                _storedBookings[booking.Id] = json;
            }
        }
        if (S.Plan is not null)
        {
            _storedHolds = await ReturneeHolds.OfOperationAsync(ServiceProvider.GetRequiredService<IStorageProvider>(), Id);
        }
        if (S.Revision == 0 && long.TryParse(state.Etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            // A state stored before the revision: its ETag was the storage version, and the revision carries on from it.
            S.Revision = version;
        }
        _storedStatus = S.Status;
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>An accepted change outside a booking batch: one more revision, then the write.</summary>
    private Task Save()
    {
        S.Revision++;
        return Persist();
    }

    /// <summary>
    /// Writes the header, the changed booking rows and the read-model rows with the staged messages. Everything up to the
    /// storage call runs without an await, so what is written is the memory of this moment.
    /// </summary>
    private async Task Persist()
    {
        // Rule 19: seats held after BookingClosed are counted into the bookings before they are compared with what is stored.
        RecordCostSeats();
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var position = 0; position < S.Bookings.Count; position++)
        {
            var booking = S.Bookings[position];
            var json = BookingRows.Json(booking);
            if (!_storedBookings.TryGetValue(booking.Id, out var stored) || stored != json)
            {
                changed[booking.Id] = json;
                WriteReadModel(BookingRows.Row(Id, position, json));
            }
        }
        var statusMoved = S.Status != _storedStatus;
        var participants = new List<ReadModelUpsert>();
        foreach (var row in ReadModelSchema.OperationRows(Id, S, clock.GetUtcNow(), b => statusMoved || changed.ContainsKey(b.Id)))
        {
            if (row is ReadModelUpsert { Table: ReadModelSchema.Participants } participant)
            {
                if (_storedParticipants.TryGetValue(participant.Id, out var stored) && SameColumns(stored, participant.Columns))
                {
                    continue;
                }
                participants.Add(participant);
            }
            WriteReadModel(row);
        }
        var holds = WriteHolds();
        var status = S.Status;
        await state.WriteStateAsync();
        _storedHolds = holds;
        foreach (var (id, json) in changed)
        {
            _storedBookings[id] = json;
        }
        foreach (var participant in participants)
        {
            _storedParticipants[participant.Id] = participant.Columns;
        }
        _storedStatus = status;
    }

    /// <summary>
    /// The hold rows that moved since the last write: a returnee newly held gets its row (which fails the write if another
    /// booking holds it: the backstop) and shows as booked in the returnee list; one let go loses its row. Returns the holds
    /// to remember once the write commits.
    /// </summary>
    private Dictionary<string, string> WriteHolds()
    {
        var holds = Bookings.Holds();
        foreach (var (returnee, booking) in holds)
        {
            if (_storedHolds.TryGetValue(returnee, out var stored) && stored == booking)
            {
                continue;
            }
            if (stored is not null)
            {
                // Held by another booking of this operation now (a suspended booking cancelled, the returnee booked again).
                WriteReadModel(ReturneeHolds.Delete(returnee));
            }
            WriteReadModel(ReturneeHolds.Insert(returnee, new ReturneeHolds.Hold(new BookingRef(Id, booking), Context())));
            WriteReadModel(ReturneeHolds.Booked(returnee, Id));
        }
        foreach (var returnee in _storedHolds.Keys.Where(r => !holds.ContainsKey(r)))
        {
            WriteReadModel(ReturneeHolds.Delete(returnee));
            WriteReadModel(ReturneeHolds.Released(returnee));
        }
        return holds;
    }

    private static bool SameColumns(IReadOnlyDictionary<string, object?> stored, IReadOnlyDictionary<string, object?> next) =>
        stored.Count == next.Count && next.All(c => stored.TryGetValue(c.Key, out var value) && Equals(value, c.Value));
}
