using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace ReturnOps.TenYears;

/// <summary>
/// What the reachability check saw, and two cursors the measurement reuses: each empty when its list fits one page (a small
/// data set), and the page measured is then the first.
/// </summary>
public sealed record ReachabilityResult(string Summary, string MiddleCursorDe, string LastOperationsCursor);

/// <summary>
/// Every case is reachable by its owner: following <c>nextAfter</c> through <c>/returnees?includeErased=true</c> from the
/// first page to the last gives each owner exactly its generated cases, once each. Another state gets 404 for a case, its
/// owner the case. The operations list reaches every operation.
/// </summary>
public static class Reachability
{
    private const int SampledCases = 200;

    public static async Task<ReachabilityResult> CheckAsync(HttpClient http, BenchGateway gateway, DataSet data)
    {
        var watch = Stopwatch.StartNew();
        var pages = 0;
        var middle = "";
        foreach (var owner in data.Cases.GroupBy(c => c.Owner).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var token = gateway.Coordinator(owner.Key);
            var (seen, walked, cursors) = await WalkAsync(http, "/api/v1/returnees?includeErased=true&limit=1000", token);
            pages += walked;
            var expected = owner.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            if (seen.Count != expected.Count || seen.Distinct(StringComparer.Ordinal).Count() != seen.Count || !expected.SetEquals(seen))
            {
                throw new InvalidOperationException($"{owner.Key}: {seen.Count} listed ({seen.Distinct().Count()} distinct), {expected.Count} owned.");
            }
            if (owner.Key == "DE")
            {
                middle = cursors.Count > 0 ? cursors[cursors.Count / 2] : "";
            }
        }
        var random = new Random(7);
        var countries = data.Cases.Select(c => c.Owner).Distinct().ToArray();
        for (var i = 0; i < SampledCases; i++)
        {
            var c = data.Cases[random.Next(data.Cases.Count)];
            var other = countries[(Array.IndexOf(countries, c.Owner) + 1 + random.Next(countries.Length - 1)) % countries.Length];
            await VolumeRun.GetAsync(http, $"/api/v1/returnees/{c.Id}", gateway.Coordinator(other), HttpStatusCode.NotFound);
            var own = await VolumeRun.GetAsync(http, $"/api/v1/returnees/{c.Id}", gateway.Coordinator(c.Owner));
            if (own.GetProperty("id").GetString() != c.Id || (own.GetProperty("reference").GetString() ?? "") != (c.State.Case?.Reference ?? ""))
            {
                throw new InvalidOperationException($"{c.Id} read back as {own}.");
            }
        }
        var (operations, _, operationCursors) = await WalkAsync(http, "/api/v1/operations?limit=50", gateway.Role("secretariat"));
        if (!operations.ToHashSet(StringComparer.Ordinal).SetEquals(data.Operations.Select(o => o.Id)) || operations.Count != data.Operations.Count)
        {
            throw new InvalidOperationException($"The operations list reached {operations.Count} of {data.Operations.Count}.");
        }
        var summary = $"Reachability: all {data.Cases.Count:N0} cases listed exactly once to their owners ({pages} pages of 1,000, {watch.Elapsed.TotalSeconds:F0} s); " +
            $"{SampledCases} sampled cases 404 to another state and 200 to their owner; all {operations.Count:N0} operations reached in pages of 50.";
        return new ReachabilityResult(summary, middle, operationCursors.Count > 0 ? operationCursors[^1] : "");
    }

    /// <summary>Follows the cursors from <paramref name="path"/>; returns the ids, the pages, and each page's cursor (of its next).</summary>
    private static async Task<(List<string> Ids, int Pages, List<string> Cursors)> WalkAsync(HttpClient http, string path, string token)
    {
        var ids = new List<string>();
        var cursors = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await VolumeRun.GetAsync(http, after is null ? path : path + "&after=" + Uri.EscapeDataString(after), token);
            pages++;
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            var next = page.GetProperty("nextAfter");
            after = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            if (after is not null)
            {
                cursors.Add(after);
            }
        }
        while (after is not null);
        return (ids, pages, cursors);
    }
}
