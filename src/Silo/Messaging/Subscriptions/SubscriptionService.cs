using System.Text.RegularExpressions;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.Silo.Messaging.Subscriptions;

/// <summary>
/// <c>POST /subscriptions</c>: a coordinator or partner registers its own country's system for webhooks.
/// The gateway authenticates the caller and passes the country from its token; this class enforces the rules.
/// </summary>
/// <param name="cache">This process's dispatcher's subscriptions, forgotten after each change so that its next claim reads them.</param>
public sealed partial class SubscriptionService(ISubscriptionStore store, WebhookDestinationPolicy destinations, TimeProvider clock,
    ILogger<SubscriptionService> logger, SubscriptionCache? cache = null)
{
    /// <summary>Shorter secrets are guessable offline from one signed delivery.</summary>
    public const int MinSecretLength = 32;

    public async Task<Subscription> CreateAsync(string callerCountry, string country, CreateSubscription request, CancellationToken cancellationToken = default)
    {
        if (!CountryCode().IsMatch(country) || !string.Equals(callerCountry, country, StringComparison.Ordinal))
        {
            throw new SubscriptionRejectedException("subscription.country_not_own", "A system may subscribe only for its own country.");
        }
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || !string.IsNullOrEmpty(url.UserInfo))
        {
            throw new SubscriptionRejectedException("subscription.url_invalid", "The URL must be absolute https and carry no credentials.");
        }
        if (destinations.Refusal(url) is { } refusal)
        {
            throw new SubscriptionRejectedException("subscription.url_invalid", refusal);
        }
        if (request.Secret is null || request.Secret.Length < MinSecretLength)
        {
            throw new SubscriptionRejectedException("subscription.secret_too_short", $"The secret must have at least {MinSecretLength} characters.");
        }
        var events = EventFilter.TryCreate(request.Events)
            ?? throw new SubscriptionRejectedException("subscription.events_invalid",
                "Give at least one event pattern: a type such as booking.confirmed, a prefix such as booking.*, or *.");

        var target = new SubscriptionTarget("sub_" + Guid.NewGuid().ToString("N"), country, url, request.Secret, events,
            clock.GetUtcNow().ToUnixTimeMilliseconds());
        await store.InsertAsync(target, cancellationToken);
        cache?.Forget(country);
        LogCreated(logger, target.Id, country, url.Host, events.ToStored());
        return target.ToPublic();
    }

    /// <summary>
    /// Ends a subscription of the caller's country. Lanes already claimed finish their batch with the targets they read;
    /// from the next claim on (on other processes' dispatchers within <see cref="MessagingOptions.SubscriptionsCachedFor"/>),
    /// the country's messages are no longer sent to it (unrouted if no subscription is left).
    /// </summary>
    /// <returns>False when the country has no subscription with that id (another country's is not found either).</returns>
    public async Task<bool> DeleteAsync(string callerCountry, string id, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(callerCountry, id, cancellationToken))
        {
            return false;
        }
        cache?.Forget(callerCountry);
        LogDeleted(logger, id, callerCountry);
        return true;
    }

    /// <summary>
    /// Replaces the signing secret (a leaked secret, or routine rotation). Deliveries from the next lane claim on are
    /// signed with the new one (on other processes' dispatchers within <see cref="MessagingOptions.SubscriptionsCachedFor"/>);
    /// there is no overlap window, so the receiver should accept both secrets for a few minutes.
    /// </summary>
    /// <returns>The subscription without its secret, or null when the country has none with that id.</returns>
    public async Task<Subscription?> RotateSecretAsync(string callerCountry, string id, string? secret, CancellationToken cancellationToken = default)
    {
        if (secret is null || secret.Length < MinSecretLength)
        {
            throw new SubscriptionRejectedException("subscription.secret_too_short", $"The secret must have at least {MinSecretLength} characters.");
        }
        if (!await store.RotateSecretAsync(callerCountry, id, secret, cancellationToken))
        {
            return null;
        }
        cache?.Forget(callerCountry);
        LogRotated(logger, id, callerCountry);
        return (await store.ForCountryAsync(callerCountry, cancellationToken)).SingleOrDefault(s => s.Id == id)?.ToPublic();
    }

    /// <summary>A country's subscriptions, without secrets.</summary>
    public async Task<IReadOnlyList<Subscription>> ListAsync(string country, CancellationToken cancellationToken = default) =>
        [.. (await store.ForCountryAsync(country, cancellationToken)).Select(s => s.ToPublic())];

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Id} created for {Country}: host {Host}, events {Events}")]
    private static partial void LogCreated(ILogger logger, string id, string country, string host, string events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Id} of {Country} deleted")]
    private static partial void LogDeleted(ILogger logger, string id, string country);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Id} of {Country}: secret rotated")]
    private static partial void LogRotated(ILogger logger, string id, string country);
}
