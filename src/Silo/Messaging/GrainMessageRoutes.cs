
namespace ReturnOps.Silo.Messaging;

/// <summary>A one-way message between grains, as the receiving grain's route sees it.</summary>
public sealed record GrainMessage(string MessageId, string Key, string Lane, string Type, string Payload, DateTimeOffset OccurredAt);

/// <summary>
/// Where outbox messages to <c>grain:{route}/{key}</c> go: grain-to-grain one-way messages (returnee → operation)
/// travel through the outbox like webhooks, so they survive crashes and keep lane order. They come at least
/// once; the receiving grain de-duplicates by <see cref="GrainMessage.MessageId"/> in its own state, which it
/// writes in the same turn as the effect.
/// </summary>
public sealed class GrainMessageRoutes
{
    private readonly Dictionary<string, Func<IGrainFactory, GrainMessage, Task>> _routes = new(StringComparer.Ordinal);

    /// <summary>Delivers messages for <c>grain:{route}/...</c> by calling <paramref name="deliver"/>; an exception means "try again later".</summary>
    public GrainMessageRoutes Map(string route, Func<IGrainFactory, GrainMessage, Task> deliver)
    {
        _routes.Add(route, deliver);
        return this;
    }

    internal bool TryGet(string route, out Func<IGrainFactory, GrainMessage, Task> deliver) => _routes.TryGetValue(route, out deliver!);
}
