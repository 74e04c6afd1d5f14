using ReturnOps.Grains.Operations;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// Changing a case and carrying its early warning to the operation. The returnee grain never calls its
/// operation (a call upwards could deadlock against a booking turn that calls the returnee), so the
/// caller relays right after the returnee's turn. The returnee also writes a durable outbox message to
/// the operation; <see cref="IReturnOperationGrain.SuspendReturnee"/> is idempotent, so a later delivery
/// of that message by the dispatcher changes nothing.
/// </summary>
public static class EarlyWarning
{
    public static async Task<ReturneeUpdate> UpdateReturneeAsync(this IGrainFactory grains, string returneeId, string owner, ReturneeCase returnee) =>
        await RelayAsync(grains, returneeId, await grains.GetGrain<IReturneeGrain>(returneeId).Update(owner, returnee));

    /// <summary>Records a travel document issued through identification (rule 17); one expiring before departure suspends the seat (rule 6).</summary>
    public static async Task<ReturneeUpdate> RecordTravelDocumentAsync(this IGrainFactory grains, string returneeId, string owner, DateOnly validUntil) =>
        await RelayAsync(grains, returneeId, await grains.GetGrain<IReturneeGrain>(returneeId).RecordTravelDocument(owner, validUntil));

    private static async Task<ReturneeUpdate> RelayAsync(IGrainFactory grains, string returneeId, ReturneeUpdate update)
    {
        if (update.SuspendedIn is { } booking)
        {
            await grains.GetGrain<IReturnOperationGrain>(booking.OperationId).SuspendReturnee(returneeId, [.. update.Violations.Select(v => v.Rule)]);
        }
        return update;
    }
}
