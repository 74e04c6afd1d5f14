using System.Text.Json;
using ReturnOps.Grains.Messaging;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.MessagingBench;

/// <summary>
/// One partner simulator per destination country (Kestrel on 127.0.0.1: signature check, de-duplication by message id,
/// every receipt and every applied effect recorded in arrival order), each subscribed to every event of its country.
/// </summary>
public sealed class Receivers : IAsyncDisposable
{
    public const string Secret = "a-benchmark-secret-of-at-least-thirty-two-characters";

    private static readonly string[] s_countries =
        ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL"];

    private Receivers(IReadOnlyList<(string Country, Partner Partner)> partners) => Partners = partners;

    public IReadOnlyList<(string Country, Partner Partner)> Partners { get; }

    /// <summary>The destination country of lane <paramref name="lane"/>: lanes go round the countries.</summary>
    public string CountryOf(int lane) => Partners[lane % Partners.Count].Country;

    public Partner PartnerOf(string country) => Partners.First(p => p.Country == country).Partner;

    public static async Task<Receivers> StartAsync(int destinations, SubscriptionService subscriptions)
    {
        if (destinations is < 1 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(destinations), destinations, "1 to 20 destinations.");
        }
        var partners = new List<(string, Partner)>();
        foreach (var country in s_countries.Take(destinations))
        {
            var partner = await Partner.StartAsync(Secret);
            await subscriptions.CreateAsync(country, country, new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
            partners.Add((country, partner));
        }
        return new Receivers(partners);
    }

    /// <summary>Effects applied over all receivers (each message id once).</summary>
    public int AppliedCount() => Partners.Sum(p => p.Partner.Applied.Count);

    /// <summary>Receipts over all receivers, duplicates included.</summary>
    public int ReceivedCount() => Partners.Sum(p => p.Partner.Received.Count);

    /// <summary>
    /// The checks: every message of <paramref name="workload"/> applied exactly once at its country, and, when
    /// <paramref name="ordered"/>, each lane's messages applied in the order they were written. Returns what is wrong.
    /// </summary>
    public IReadOnlyList<string> Check(Workload workload, bool ordered)
    {
        var problems = new List<string>();
        var applied = Partners.SelectMany(p => p.Partner.Applied.Select(d => (p.Country, Delivery: d)))
            .Where(a => a.Delivery.MessageId.StartsWith(workload.Prefix, StringComparison.Ordinal))
            .ToList();
        var distinct = applied.Select(a => a.Delivery.MessageId).Distinct(StringComparer.Ordinal).Count();
        if (distinct != applied.Count)
        {
            problems.Add($"{applied.Count - distinct} messages applied more than once");
        }
        if (distinct != workload.Count)
        {
            problems.Add($"{distinct} of {workload.Count} messages applied");
        }
        foreach (var lane in applied.Select(a => (a.Country, Message: Parse(a.Delivery.Data))).GroupBy(a => a.Message.Lane))
        {
            var wrongCountry = lane.Count(a => a.Country != CountryOf(lane.Key));
            if (wrongCountry > 0)
            {
                problems.Add($"lane {lane.Key}: {wrongCountry} messages at another country");
            }
            // The partner applies in arrival order, so a lane's applied list must be 0, 1, 2, … with nothing missing.
            var seqs = lane.Select(a => a.Message.Seq).ToList();
            if (ordered && !seqs.SequenceEqual(Enumerable.Range(0, workload.PerLane)))
            {
                problems.Add($"lane {lane.Key} applied out of order or incomplete: {string.Join(',', seqs.Take(12))}…");
            }
        }
        return problems;
    }

    private static (int Lane, int Seq) Parse(string data)
    {
        using var json = JsonDocument.Parse(data);
        return (json.RootElement.GetProperty("lane").GetInt32(), json.RootElement.GetProperty("seq").GetInt32());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, partner) in Partners)
        {
            await partner.DisposeAsync();
        }
    }
}

/// <summary>
/// <paramref name="Lanes"/> lanes of <paramref name="PerLane"/> messages each, ids <c>{prefix}-{lane}-{seq}</c>, payload
/// <c>{"lane":…,"seq":…}</c>: a booking grain's messages to a country, one lane per operation.
/// </summary>
public sealed record Workload(string Prefix, int Lanes, int PerLane)
{
    public int Count => Lanes * PerLane;

    public string MessageId(int lane, int seq) => $"{Prefix}-{lane}-{seq}";

    public static string Payload(int lane, int seq) => $$"""{"lane":{{lane}},"seq":{{seq}},"operation":"OP-2026-{{lane:000}}","status":"confirmed"}""";

    public static string LaneName(int lane) => $"OP-2026-{lane:000}";

    public const string Type = "booking.confirmed";

    public string DestinationOf(Receivers receivers, int lane) => Destination.Country(receivers.CountryOf(lane));
}
