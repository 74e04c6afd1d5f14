using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Bookings and cancellations decided in memory and stored by one write (group commit, issue 13): each caller is answered,
/// with what its decision gave it, once the write commits; if it fails, every caller of the batch gets the failure.
/// </summary>
internal sealed class BookingBatch
{
    private readonly TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The outbox messages of the batch's bookings, written in the batch's transaction.</summary>
    public List<OutboxMessage> Messages { get; } = [];

    /// <summary>Rows written with the batch besides its bookings' own: the audit entries of the requests it answers.</summary>
    public List<ReadModelWrite> Rows { get; } = [];

    /// <summary>The bookings the batch stores.</summary>
    public List<string> BookingIds { get; } = [];

    /// <summary>The bookings whose cancellation the batch stores.</summary>
    public List<string> Cancelled { get; } = [];

    /// <summary>Completes when the batch is stored; throws the write's failure if not.</summary>
    public Task WhenStored() => _stored.Task;

    public void Stored() => _stored.SetResult();

    public void Failed(Exception reason) => _stored.SetException(reason);
}
