namespace ReturnOps.Silo.Messaging.Subscriptions;

/// <summary>The body of <c>POST /subscriptions</c>.</summary>
public sealed record CreateSubscription(string Url, string Secret, IReadOnlyList<string> Events)
{
    // The compiler-made ToString would print the secret into any log that formats the request.
    public override string ToString() => $"CreateSubscription {{ Url = {Url}, Events = [{string.Join(", ", Events)}] }}";
}

/// <summary>A subscription as the API returns it: the secret never leaves the server.</summary>
public sealed record Subscription(string Id, string Country, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

/// <summary>A subscription with its secret, for signing deliveries. Never serialized or logged.</summary>
public sealed class SubscriptionTarget(string id, string country, Uri url, string secret, EventFilter events, long createdMs)
{
    public string Id { get; } = id;
    public string Country { get; } = country;
    public Uri Url { get; } = url;
    public string Secret { get; } = secret;
    public EventFilter Events { get; } = events;
    public long CreatedMs { get; } = createdMs;

    public Subscription ToPublic() => new(Id, Country, Url.ToString(), Events.Patterns, DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs));

    public override string ToString() => $"subscription {Id} ({Country}, {Url.Host})";
}

/// <summary>A <c>POST /subscriptions</c> that breaks a rule; <see cref="Code"/> is stable for clients.</summary>
public sealed class SubscriptionRejectedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
