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
    public static async Task<ReturneeUpdate> UpdateReturneeAsync(this IGrainFactory grains, string returneeId, string owner, ReturneeCase returnee)
    {
        var update = await grains.GetGrain<IReturneeGrain>(returneeId).Update(owner, returnee);
        if (update.SuspendedIn is { } booking)
        {
            await grains.GetGrain<IReturnOperationGrain>(booking.OperationId).SuspendReturnee(returneeId, [.. update.Violations.Select(v => v.Rule)]);
        }
        return update;
    }
}
