using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>Stands in for a domain grain: its turns put messages into the outbox, as a booking or manifest grain would.</summary>
[Alias("ReturnOps.Silo.Tests.IPublisherGrain")]
public interface IPublisherGrain : IGrainWithStringKey
{
    /// <summary>Enqueues messages <c>{lane}-{first}</c>..<c>{lane}-{first + count - 1}</c> to one lane, in order.</summary>
    [Alias("Publish")]
    Task Publish(string destination, string lane, string type, int first, int count);
}

[GrainType("silo-tests-publisher")]
public sealed class PublisherGrain([FromKeyedServices(DomainClock.Key)] TimeProvider clock) : DomainGrain, IPublisherGrain
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
