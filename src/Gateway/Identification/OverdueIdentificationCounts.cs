using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Identification;

namespace ReturnOps.Gateway.Identification;

/// <summary>Overdue identification requests one owning state is waiting on from one destination.</summary>
public sealed record OverdueIdentificationFromState(string Country, long AwaitingIdentity, long AwaitingDocument, DateTimeOffset OldestDueBy);

/// <summary>One destination that owes identifications or documents: its totals and which states wait.</summary>
/// <param name="ThroughEmbassy">The destination identifies through its embassy (an arrangement, rule 20).</param>
public sealed record OverdueIdentificationDestination(string Destination, bool ThroughEmbassy, long AwaitingIdentity, long AwaitingDocument,
    DateTimeOffset OldestDueBy, IReadOnlyList<OverdueIdentificationFromState> Waiting);

public sealed record OverdueIdentifications(DateTimeOffset AsOf, long AwaitingIdentity, long AwaitingDocument, IReadOnlyList<OverdueIdentificationDestination> Destinations);

/// <summary>
/// <c>GET /identification-requests/overdue</c>: open requests past the deadline of their step (the reply, the document or a
/// re-issue), as counts per destination and owning state from the read model. No ids, no persons (rule 16).
/// </summary>
public static class OverdueIdentificationCounts
{
    public static async Task<Ok<OverdueIdentifications>> GetAsync(GatewayDatabase database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, IdentificationSchema.Overdue, ("@now_ms", now.ToUnixTimeMilliseconds()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<(string Destination, bool Embassy, OverdueIdentificationFromState State)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add((reader.GetString(0), Long(reader.GetValue(5)) != 0, new OverdueIdentificationFromState(reader.GetString(1),
                    Long(reader.GetValue(2)), Long(reader.GetValue(3)), DateTimeOffset.FromUnixTimeMilliseconds(Long(reader.GetValue(4))))));
            }
            return list;
        }, cancellationToken);
        var destinations = rows.GroupBy(r => r.Destination, StringComparer.Ordinal)
            .Select(g => new OverdueIdentificationDestination(g.Key, g.Any(r => r.Embassy), g.Sum(r => r.State.AwaitingIdentity), g.Sum(r => r.State.AwaitingDocument),
                g.Min(r => r.State.OldestDueBy), [.. g.Select(r => r.State)]))
            .ToList();
        return TypedResults.Ok(new OverdueIdentifications(now, destinations.Sum(d => d.AwaitingIdentity), destinations.Sum(d => d.AwaitingDocument), destinations));
    }

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
