using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Which operations a caller may know of: a partner only those to its country, a draft only its organiser and the oversight
/// roles. An operation the caller may not see does not exist for it (404). The gateway asks it before reading or changing an
/// operation; the operation asks it itself where a call comes straight from the gateway (a booking, issue 22).
/// </summary>
public static class OperationVisibility
{
    public static bool CanSee(Caller caller, string organiser, IReadOnlyList<string> destinations, OperationStatus status) => caller.Role switch
    {
        Caller.Partner => destinations.Contains(caller.Country ?? ""),
        Caller.Coordinator => status != OperationStatus.Draft || caller.Country == organiser,
        Caller.Monitor => status != OperationStatus.Draft,
        _ => true,
    };
}
