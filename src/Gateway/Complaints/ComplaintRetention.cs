using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;

namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// Erases the personal data of complaints closed longer than <see cref="ComplaintLimits.RetentionDays"/> ago, as rule 15 erases a
/// returnee's after its operation: a complaint is personal data (of the complainant and of the people it names). Runs every hour
/// on the domain clock.
/// </summary>
internal sealed class ComplaintRetention(ComplaintStore store, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, ILogger<ComplaintRetention> logger)
    : RetentionJob(clock, TimeSpan.FromHours(1), logger)
{
    protected override string What => "Complaints past their retention";

    protected override Task EraseAsync(CancellationToken cancellationToken) => store.EraseExpiredAsync(cancellationToken);
}
