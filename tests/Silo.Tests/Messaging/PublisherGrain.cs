using System.Globalization;
using ReturnOps.Runtime;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>Stands in for a domain grain: its turns put messages into the outbox, as a booking or manifest grain would.</summary>
public interface IPublisherGrain : IGrainWithStringKey
{
    /// <summary>Enqueues messages <c>{lane}-{first}</c>..<c>{lane}-{first + count - 1}</c> to one lane, in order.</summary>
    Task Publish(string destination, string lane, string type, int first, int count);
}

public sealed class PublisherGrain(TimeProvider clock) : Grain, IPublisherGrain
{
    public Task Publish(string destination, string lane, string type, int first, int count)
    {
        for (var seq = first; seq < first + count; seq++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{lane}-{seq}");
            var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"lane":"{{lane}}","seq":{{seq}}}""");
            EnqueueMessage(new OutboxMessage(id, destination, lane, type, payload, clock.GetUtcNow()));
        }
        return Task.CompletedTask;
    }
}
