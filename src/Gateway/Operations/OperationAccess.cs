using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.Runtime;

namespace ReturnOps.Gateway.Operations;

/// <summary>
/// Which operations a caller may know of: a partner only those to its country, a draft only its organiser
/// and the oversight roles. An operation the caller may not see does not exist for it (404).
/// </summary>
public static class OperationAccess
{
    public const string IdPrefix = "op-";

    public static bool CanSee(Caller caller, OperationView view) => caller.Role switch
    {
        Roles.Partner => view.Destinations.Contains(caller.Country ?? ""),
        Roles.Coordinator => view.Status != OperationStatus.Draft || caller.Country == view.Organiser,
        Roles.Monitor => view.Status != OperationStatus.Draft,
        _ => true,
    };

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

    /// <summary>Checks If-Match against the operation's version, then returns the grain to change.</summary>
    public static async Task<IReturnOperationGrain> ChangeableAsync(IGrainFactory grains, string id, HttpContext http)
    {
        var view = await VisibleAsync(grains, id, http.User.ToCaller());
        ETags.CheckIfMatch(http.Request, ETags.FromVersion(view.Version));
        return grains.GetGrain<IReturnOperationGrain>(id);
    }
}
