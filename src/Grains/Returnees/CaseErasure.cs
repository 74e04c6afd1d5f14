using ReturnOps.Grains.Identification;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// Erasing a case on its owner's request (rule 15) and carrying the erasure to its identification requests at once. The case
/// never calls a request (a request calls the case, and through it the operation: a call back could deadlock), so the caller
/// relays right after the case's turn. The case also wrote a durable <c>returnee.erased</c> message to each request;
/// <see cref="IIdentificationRequestGrain.Erase"/> is idempotent, so its later delivery by the dispatcher changes nothing.
/// </summary>
public static class CaseErasure
{
    public static async Task EraseReturneeAsync(this IGrainFactory grains, string returneeId)
    {
        var returnee = grains.GetGrain<IReturneeGrain>(returneeId);
        await returnee.Erase(unlessBookedElsewhereThan: null);
        // Relayed also when the case was erased before: a relay cut short then is completed now.
        foreach (var request in await returnee.IdentificationRequests())
        {
            await grains.GetGrain<IIdentificationRequestGrain>(request).Erase();
        }
    }
}
