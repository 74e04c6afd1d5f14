using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>No-shows (<see cref="NoShowRegister"/>): the grain records, stores, then frees the returnee for a later operation.</summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<NoShowView> RecordNoShow(Caller caller, string returneeId, NoShowReason reason, long? expectedVersion = null)
    {
        _ = Plan;
        var register = new NoShowRegister(Id, S);
        if (register.Recorded(caller, returneeId, reason) is { } recorded)
        {
            // A repeated request: answer as the first time, and release again in case the first turn stopped before it.
            await Returnees.Release(recorded.BookingId, [returneeId]);
            return NoShowRegister.View(recorded);
        }
        var booking = register.OnManifest(caller, returneeId);
        Bookings.CheckRevision(expectedVersion);
        var (noShow, notices) = register.Record(booking, returneeId, reason, clock.GetUtcNow());
        Send(notices);
        await Save();
        // After the write: the owning state may book the person again on another operation.
        await Returnees.Release(booking.Id, [returneeId]);
        return NoShowRegister.View(noShow);
    }
}
