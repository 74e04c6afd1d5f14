using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Bookings and cancellations decided in memory and stored by one write (group commit, issue 13): each caller's answer,
/// fixed when its booking was decided, is given once the write commits; if it fails, every caller of the batch gets the failure.
/// </summary>
internal sealed class BookingBatch
{
    private readonly TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, BookingView> _answers = new(StringComparer.Ordinal);

    /// <summary>The outbox messages of the batch's bookings, written in the batch's transaction.</summary>
    public List<OutboxMessage> Messages { get; } = [];

    public IEnumerable<string> BookingIds => _answers.Keys;

    /// <summary>The bookings whose cancellation the batch stores.</summary>
    public List<string> Cancelled { get; } = [];

    public void Add(BookingView decided) => _answers.Add(decided.Id, decided);

    /// <summary>The answer to the booking <paramref name="bookingId"/> once the batch is stored; the write's failure if not.</summary>
    public async Task<BookingView> Answer(string bookingId)
    {
        await _stored.Task;
        return _answers[bookingId];
    }

    /// <summary>Completes when the batch is stored; throws the write's failure if not.</summary>
    public Task WhenStored() => _stored.Task;

    public void Stored() => _stored.SetResult();

    public void Failed(Exception reason) => _stored.SetException(reason);
}
