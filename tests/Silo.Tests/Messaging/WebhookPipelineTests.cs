using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>
/// The shape of a subscription's webhook pipeline (docs/messaging.md, "Resilience pipeline"), read with Polly.Testing:
/// retry outermost, then the circuit breaker, then the timeout of one attempt; one pipeline per subscription.
/// </summary>
public sealed class WebhookPipelineTests
{
    [Fact]
    public async Task Each_subscription_has_retry_then_circuit_breaker_then_attempt_timeout_from_the_options()
    {
        var options = new MessagingOptions();
        var clock = new FakeTimeProvider();
        await using var sender = new WebhookSender(new HttpClient(), options, clock);

        var descriptor = sender.PipelineFor("sub_a").GetPipelineDescriptor();

        Assert.Collection(descriptor.Strategies,
            retry =>
            {
                var o = Assert.IsType<RetryStrategyOptions<HttpResponseMessage>>(retry.Options);
                Assert.Equal(options.InProcessRetries, o.MaxRetryAttempts);
                Assert.Equal(options.InProcessRetryDelay, o.Delay);
                Assert.Equal(DelayBackoffType.Exponential, o.BackoffType);
                Assert.True(o.UseJitter);
            },
            breaker =>
            {
                var o = Assert.IsType<CircuitBreakerStrategyOptions<HttpResponseMessage>>(breaker.Options);
                Assert.Equal(options.BreakerFailureRatio, o.FailureRatio);
                Assert.Equal(options.BreakerMinimumThroughput, o.MinimumThroughput);
                Assert.Equal(options.BreakerSamplingDuration, o.SamplingDuration);
                Assert.Equal(options.BreakerBreakDuration, o.BreakDuration);
            },
            timeout => Assert.Equal(options.AttemptTimeout, Assert.IsType<TimeoutStrategyOptions>(timeout.Options).Timeout));
    }

    [Fact]
    public async Task Two_subscriptions_never_share_a_circuit()
    {
        await using var sender = new WebhookSender(new HttpClient(), new MessagingOptions(), new FakeTimeProvider());
        Assert.Same(sender.PipelineFor("sub_a"), sender.PipelineFor("sub_a"));
        Assert.NotSame(sender.PipelineFor("sub_a"), sender.PipelineFor("sub_b"));
    }

    [Fact]
    public async Task Without_in_process_retries_the_pipeline_is_circuit_breaker_then_timeout()
    {
        await using var sender = new WebhookSender(new HttpClient(), new MessagingOptions { InProcessRetries = 0 }, new FakeTimeProvider());
        var strategies = sender.PipelineFor("sub_a").GetPipelineDescriptor().Strategies;
        Assert.Collection(strategies,
            s => Assert.IsType<CircuitBreakerStrategyOptions<HttpResponseMessage>>(s.Options),
            s => Assert.IsType<TimeoutStrategyOptions>(s.Options));
    }
}
