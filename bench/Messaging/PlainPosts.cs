using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.MessagingBench;

/// <summary>
/// The yardstick: the same envelopes, signed the same way, POSTed from one <see cref="HttpClient"/> (made like the
/// dispatcher's, by <see cref="MessagingServiceCollectionExtensions.CreateHttpClient"/>) straight to the same receivers,
/// without outbox, database, Polly or order. Messages are taken from one queue by <c>concurrency</c> loops.
/// </summary>
public static class PlainPosts
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    /// <summary>Returns posts per second until the last answer; throws when a post is not answered 2xx.</summary>
    public static async Task<double> RunAsync(Receivers receivers, Workload workload, int concurrency)
    {
        var options = BenchNode.Options();
        using var http = MessagingServiceCollectionExtensions.CreateHttpClient(new WebhookDestinationPolicy(options));
        var posts = (from lane in Enumerable.Range(0, workload.Lanes)
                     from seq in Enumerable.Range(0, workload.PerLane)
                     let id = workload.MessageId(lane, seq)
                     select (Url: receivers.PartnerOf(receivers.CountryOf(lane)).Url, Id: id, Body: WebhookEnvelope.Serialize(new OutboxRow(
                         0, id, workload.DestinationOf(receivers, lane), Workload.LaneName(lane), Workload.Type, Workload.Payload(lane, seq),
                         TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), 0)))).ToList();
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < posts.Count)
            {
                var (url, id, body) = posts[i];
                var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = s_json;
                request.Headers.Add(WebhookSignature.MessageIdHeader, id);
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(Receivers.Secret, timestamp, body));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"plain POST of {id}: {(int)response.StatusCode}");
                }
            }
        })));
        return posts.Count / watch.Elapsed.TotalSeconds;
    }
}
