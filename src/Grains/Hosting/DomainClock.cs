namespace ReturnOps.Grains.Hosting;

/// <summary>
/// The domain's clock (deadlines, retention, "now" in rules) is a keyed <see cref="TimeProvider"/>, apart from the
/// unkeyed one Orleans' own machinery runs on: tests move the domain's clock by days (a <c>FakeTimeProvider</c>)
/// while membership, messaging and activation keep real time. Production registers <see cref="TimeProvider.System"/>.
/// </summary>
public static class DomainClock
{
    /// <summary>The service key: <c>[FromKeyedServices(DomainClock.Key)] TimeProvider clock</c>.</summary>
    public const string Key = "ReturnOps.Domain";
}
