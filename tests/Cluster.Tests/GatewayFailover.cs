using System.Diagnostics;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// The drill's load balancer, beneath the typed client's retries: it sends each attempt to one gateway and, after an attempt
/// that failed as a crash looks to a client, the next attempt to the other one. It tells the rush what each attempt met.
/// </summary>
internal sealed class GatewayFailover(BookingRush rush, IReadOnlyList<Uri> gateways, int first) : DelegatingHandler
{
    private int _gateway = first % gateways.Count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var gateway = _gateway;
        request.RequestUri = new Uri(gateways[gateway], request.RequestUri!.PathAndQuery);
        var key = request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.First() : null;
        var sent = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // A cancelled attempt is the client's attempt timeout (the drill never cancels a booking): a lost answer.
            Next(gateway);
            Report(key, gateway, null, null, e, sent);
            throw;
        }
        var body = response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode && BookingRush.IsRetryable(response.StatusCode, body!))
        {
            Next(gateway);
        }
        Report(key, gateway, response.StatusCode, body, null, sent);
        return response;
    }

    private void Next(int failed) => Interlocked.CompareExchange(ref _gateway, (failed + 1) % gateways.Count, failed);

    private void Report(string? key, int gateway, System.Net.HttpStatusCode? status, string? body, Exception? failed, long sent)
    {
        // Only the bookings are counted: the set-up's calls do not come through here.
        if (key is not null)
        {
            rush.Record(key, gateway, status, body, failed, Stopwatch.GetElapsedTime(sent));
        }
    }
}
