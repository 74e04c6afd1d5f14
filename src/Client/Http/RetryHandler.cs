using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ReturnOps.Client.Http;

/// <summary>
/// Retries what the gateway says is worth retrying, with the same request (and so the same Idempotency-Key and If-Match):
/// no connection, a timed-out attempt, 408, 429, 502, 503, 504, and the 409 of a duplicate that is still in progress. The
/// gateway's Retry-After is obeyed; otherwise the delays grow exponentially with jitter. A rule's refusal (4xx with a
/// <c>rule</c>) is never retried: sending it again cannot change the answer.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryHandler(ReturnOpsClientOptions options)
    {
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = args => args.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => ValueTask.FromResult(true),
                { Result: { } response } => WorthRetryingAsync(response),
                _ => ValueTask.FromResult(false),
            },
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, options.TimeProvider)),
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return default;
            },
        };
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider }
            .AddRetry(retry)
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);

    private static async ValueTask<bool> WorthRetryingAsync(HttpResponseMessage response)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout:
                return true;
            case HttpStatusCode.Conflict:
                // The in-progress duplicate is the one 409 without a rule; a rule's 409 (a wrong state) stays refused.
                return !await HasRuleAsync(response);
            default:
                return false;
        }
    }

    private static async ValueTask<bool> HasRuleAsync(HttpResponseMessage response)
    {
        try
        {
            // Read as bytes, not as a stream: a buffered content hands out one stream, and the caller reads the body again.
            using var problem = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            return problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("rule", out _);
        }
        catch (JsonException)
        {
            return true;
        }
    }

    /// <summary>The gateway's Retry-After (seconds or a date), at most <paramref name="cap"/>; null: the backoff decides.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider clock)
    {
        if (response?.Headers.RetryAfter is not { } after)
        {
            return null;
        }
        var wait = after.Delta ?? (after.Date is { } date ? date - clock.GetUtcNow() : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, cap.Ticks)) : null;
    }
}
