using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.ReadModels;

namespace ReturnOps.Gateway.Readmission;

/// <summary>Overdue requests one owning state is waiting on from one destination.</summary>
public sealed record OverdueFromState(string Country, long Lapsed, long PendingPastDue, DateTimeOffset OldestReplyDueBy);

/// <summary>One destination that owes replies: its totals and which states wait.</summary>
public sealed record OverdueDestination(string Destination, long Lapsed, long PendingPastDue, DateTimeOffset OldestReplyDueBy,
    IReadOnlyList<OverdueFromState> Waiting);

public sealed record OverdueReadmissions(DateTimeOffset AsOf, long Lapsed, long PendingPastDue, IReadOnlyList<OverdueDestination> Destinations);

/// <summary>
/// <c>GET /readmission-requests/overdue</c>: the replies destinations owe, as counts per destination and owning state,
/// from the read model. A request is overdue from its deadline until it is answered: pending past the deadline, or
/// lapsed (no reply and silence is not acceptance; a lapsed request is never answered, so it stays). No ids, no persons.
/// </summary>
public static class OverdueReplies
{
    public static async Task<Ok<OverdueReadmissions>> GetAsync(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, ReadModelQueries.OverdueReadmissions, ("@now_ms", now.ToUnixTimeMilliseconds()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<(string Destination, OverdueFromState State)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add((reader.GetString(0), new OverdueFromState(reader.GetString(1), Long(reader.GetValue(2)), Long(reader.GetValue(3)),
                    DateTimeOffset.FromUnixTimeMilliseconds(Long(reader.GetValue(4))))));
            }
            return list;
        }, cancellationToken);
        var destinations = rows.GroupBy(r => r.Destination, StringComparer.Ordinal)
            .Select(g => new OverdueDestination(g.Key, g.Sum(r => r.State.Lapsed), g.Sum(r => r.State.PendingPastDue),
                g.Min(r => r.State.OldestReplyDueBy), [.. g.Select(r => r.State)]))
            .ToList();
        return TypedResults.Ok(new OverdueReadmissions(now, destinations.Sum(d => d.Lapsed), destinations.Sum(d => d.PendingPastDue), destinations));
    }

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
