namespace ReturnOps.Silo.Messaging;

/// <summary>
/// The dispatcher's way to grains: the <see cref="GrainMessageRoutes"/> of the process with the grain factory they call
/// through. <see cref="None"/> serves a process that sends webhooks only (the messaging bench): every grain message is
/// then dead for want of a route, as it is for a route not mapped.
/// </summary>
public sealed class GrainMessenger
{
    private readonly Func<string, Func<GrainMessage, Task>?> _route;

    public GrainMessenger(IGrainFactory grains, GrainMessageRoutes routes) =>
        _route = route => routes.TryGet(route, out var deliver) ? message => deliver(grains, message) : null;

    private GrainMessenger(Func<string, Func<GrainMessage, Task>?> route) => _route = route;

    public static GrainMessenger None { get; } = new(_ => null);

    /// <summary>How to deliver to <c>grain:{route}/...</c>, if the route is mapped.</summary>
    internal bool TryGet(string route, out Func<GrainMessage, Task> deliver)
    {
        deliver = _route(route)!;
        return deliver is not null;
    }
}
