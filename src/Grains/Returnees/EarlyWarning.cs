using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

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

    /// <summary>Places a legal hold (rule 22); a booked person's seat is suspended at once, naming the rule and nothing of the order.</summary>
    public static async Task<LegalHoldPlaced> PlaceLegalHoldAsync(this IGrainFactory grains, string returneeId, Caller caller, string holdId, InterimMeasure measure)
    {
        var placed = await grains.GetGrain<IReturneeGrain>(returneeId).PlaceLegalHold(caller, holdId, measure);
        if (placed.SuspendedIn is { } booking)
        {
            await grains.GetGrain<IReturnOperationGrain>(booking.OperationId).SuspendReturnee(returneeId, [RuleCode.LegalHold]);
        }
        return placed;
    }

    private static async Task<ReturneeUpdate> RelayAsync(IGrainFactory grains, string returneeId, ReturneeUpdate update)
    {
        if (update.SuspendedIn is { } booking)
        {
            await grains.GetGrain<IReturnOperationGrain>(booking.OperationId).SuspendReturnee(returneeId, [.. update.Violations.Select(v => v.Rule)]);
        }
        return update;
    }
}
