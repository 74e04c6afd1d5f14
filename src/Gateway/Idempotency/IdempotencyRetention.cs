using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;

namespace ReturnOps.Gateway.Idempotency;

/// <summary>Keeps idempotency keys for 24 hours, so stored answers (some with personal data) do not pile up.</summary>
internal sealed class IdempotencyRetention(IdempotencyStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, ILogger<IdempotencyRetention> logger)
    : RetentionJob(clock, TimeSpan.FromHours(6), logger)
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    protected override string What => "Expired idempotency keys";

    protected override Task EraseAsync(CancellationToken cancellationToken) => store.PurgeAsync(KeyLifetime, cancellationToken);
}
