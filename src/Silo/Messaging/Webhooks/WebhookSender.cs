using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging.Webhooks;

/// <summary>
/// What one delivery to one subscription came to. <see cref="Attempted"/> is false when the open circuit refused
/// it before any request was made; <see cref="CircuitOpenFor"/> says how long the circuit stays open.
/// </summary>
public readonly record struct SendResult(bool Delivered, bool Attempted, string? Error, TimeSpan? CircuitOpenFor)
{
    public static SendResult Ok { get; } = new(true, true, null, null);
}

/// <summary>
/// Posts signed webhooks through one Polly pipeline per subscription (a registry keyed by subscription id):
/// a few quick retries with exponential backoff and jitter, a circuit breaker, and a timeout per attempt.
/// A broken partner thus opens only its own circuit and, while open, costs the others nothing.
/// </summary>
public sealed class WebhookSender(HttpClient http, MessagingOptions options, TimeProvider clock) : IAsyncDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly ResiliencePipelineRegistry<string> _pipelines = new();

    /// <remarks>
    /// Errors name the subscription and a class of failure (refused destination, connection failed, HTTP 5xx, no answer),
    /// never a host, an address, a socket message or an exact status: a subscriber chooses the URL and reads the errors,
    /// and must not learn from them which internal ports are open.
    /// </remarks>
    public async Task<SendResult> SendAsync(SubscriptionTarget target, string messageId, byte[] body, CancellationToken cancellationToken)
    {
        var pipeline = PipelineFor(target.Id);
        var requests = 0;
        string? lastFailure = null;
        try
        {
            using var response = await pipeline.ExecuteAsync(async ct =>
            {
                Interlocked.Increment(ref requests);
                try
                {
                    var answer = await PostAsync(target, messageId, body, ct);
                    lastFailure = answer.IsSuccessStatusCode ? null : StatusClass(answer.StatusCode);
                    return answer;
                }
                catch (HttpRequestException ex)
                {
                    lastFailure = Describe(ex);
                    throw;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    lastFailure = NoAnswer;
                    throw;
                }
            }, cancellationToken);
            return response.IsSuccessStatusCode
                ? SendResult.Ok
                : new SendResult(false, true, $"{target.Id}: {StatusClass(response.StatusCode)}", null);
        }
        catch (BrokenCircuitException ex)
        {
            // The circuit may have opened during our own retries: then the partner was tried and failed.
            var tried = requests == 0 ? "" : $"{lastFailure ?? "request failed"}, then ";
            return new SendResult(false, requests > 0, $"{target.Id}: {tried}circuit open", ex.RetryAfter ?? options.BreakerBreakDuration);
        }
        catch (TimeoutRejectedException)
        {
            return new SendResult(false, true, $"{target.Id}: {NoAnswer}", null);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(false, true, $"{target.Id}: {Describe(ex)}", null);
        }
    }

    /// <summary>The subscription's own pipeline (made at its first delivery): its circuit is no other subscription's.</summary>
    internal ResiliencePipeline<HttpResponseMessage> PipelineFor(string subscriptionId) =>
        _pipelines.GetOrAddPipeline<HttpResponseMessage>(subscriptionId, Configure);

    private string NoAnswer => $"no answer within {options.AttemptTimeout.TotalSeconds:0.#} s";

    private static string StatusClass(HttpStatusCode status) => $"HTTP {(int)status / 100}xx";

    private static string Describe(HttpRequestException ex) =>
        ex.InnerException is WebhookDestinationRefusedException ? "refused destination" : "connection failed";

    private async Task<HttpResponseMessage> PostAsync(SubscriptionTarget target, string messageId, byte[] body, CancellationToken cancellationToken)
    {
        // Signed per attempt: a retry after a long outage carries a fresh timestamp, not a stale one.
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = s_json;
        request.Headers.Add(WebhookSignature.MessageIdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(target.Secret, timestamp, body));
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder)
    {
        builder.TimeProvider = clock;
        if (options.InProcessRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.InProcessRetries,
                Delay = options.InProcessRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A refused destination stays refused until its DNS changes: the durable backoff retries it, not this.
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(ex => ex.InnerException is not WebhookDestinationRefusedException)
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .HandleResult(r => !r.IsSuccessStatusCode),
        });
        builder.AddTimeout(options.AttemptTimeout);
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    public ValueTask DisposeAsync() => _pipelines.DisposeAsync();
}
