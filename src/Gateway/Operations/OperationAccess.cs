using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Operations;

/// <summary>
/// Which operations a caller may know of: a partner only those to its country, a draft only its organiser
/// and the oversight roles. An operation the caller may not see does not exist for it (404).
/// </summary>
public static class OperationAccess
{
    public const string IdPrefix = "op-";

    public static bool CanSee(Caller caller, OperationView view) => CanSee(caller, view.Organiser, view.Destinations, view.Status);

    private static bool CanSee(Caller caller, string organiser, IReadOnlyList<string> destinations, OperationStatus status) =>
        OperationVisibility.CanSee(caller, organiser, destinations, status);

    /// <summary>The operation as the caller may see it, or 404.</summary>
    public static async Task<OperationView> VisibleAsync(IGrainFactory grains, string id, Caller caller)
    {
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        var view = await grains.GetGrain<IReturnOperationGrain>(id).GetView();
        return view is not null && CanSee(caller, view) ? view : throw new ResourceNotFoundException();
    }

    /// <summary>
    /// The grain to change and the version its If-Match names (null: no precondition). The grain checks that
    /// version inside its turn, so of two writers holding the same ETag only the first gets through.
    /// </summary>
    /// <remarks>
    /// Reads <see cref="IReturnOperationGrain.GetAccess"/>, not the whole view: on an operation being booked that call
    /// neither waits for the write in flight nor holds the bookings back (issue 13: every booking made it first).
    /// </remarks>
    public static async Task<(IReturnOperationGrain Operation, long? ExpectedVersion)> ChangeableAsync(IGrainFactory grains, string id, HttpContext http)
    {
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        var operation = grains.GetGrain<IReturnOperationGrain>(id);
        var access = await operation.GetAccess();
        return access is not null && CanSee(http.User.ToCaller(), access.Organiser, access.Destinations, access.Status)
            ? (operation, ETags.ExpectedVersion(http.Request, access.Version))
            : throw new ResourceNotFoundException();
    }

    /// <summary>
    /// The operation for a change it checks itself in the same call (a booking, a cancellation: visibility and If-Match in
    /// the grain, issue 22), and the If-Match version to hand it. Only an If-Match naming several tags needs the current
    /// version read first (<see cref="ChangeableAsync"/>).
    /// </summary>
    public static async Task<(IReturnOperationGrain Operation, long? ExpectedVersion)> CheckedByItselfAsync(IGrainFactory grains, string id, HttpContext http)
    {
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        return ETags.TryExpectedVersion(http.Request, out var expected)
            ? (grains.GetGrain<IReturnOperationGrain>(id), expected)
            : await ChangeableAsync(grains, id, http);
    }
}
