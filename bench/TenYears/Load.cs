using System.Diagnostics;
using System.Net.Http.Headers;

namespace ReturnOps.TenYears;

/// <summary>What one endpoint did under load: latency percentiles of the successful requests, their rate, and failures.</summary>
public sealed record LoadResult(string Name, int Requests, int Failures, double P50, double P95, double P99, double PerSecond, string? FirstFailure);

/// <summary>
/// A fixed number of connections (8) sending one request after another to one URL for a fixed time, after a warm-up; every
/// answer must be 200. Latency is measured per request from send to the last byte of the body.
/// </summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(HttpClient http, string name, string path, string token, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        await WarmUpAsync(http, path, token, connections, Stopwatch.GetTimestamp() + Ticks(warmUp));
        var samples = new List<double>[connections];
        var failures = new int[connections];
        string? firstFailure = null;
        var started = Stopwatch.GetTimestamp();
        var until = started + Ticks(duration);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            samples[worker] = [];
            while (Stopwatch.GetTimestamp() < until)
            {
                var t0 = Stopwatch.GetTimestamp();
                var (ok, detail) = await SendAsync(http, path, token);
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (ok)
                {
                    samples[worker].Add(ms);
                }
                else
                {
                    failures[worker]++;
                    firstFailure ??= detail;
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = samples.SelectMany(s => s).Order().ToArray();
        return new LoadResult(name, all.Length, failures.Sum(), Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length / elapsed, firstFailure);
    }

    private static async Task WarmUpAsync(HttpClient http, string path, string token, int connections, long until) =>
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await SendAsync(http, path, token);
            }
        }));

    private static async Task<(bool Ok, string Detail)> SendAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? (true, "") : (false, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
        }
        catch (HttpRequestException ex)
        {
            return (false, ex.Message);
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
