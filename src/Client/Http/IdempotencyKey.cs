namespace ReturnOps.Client.Http;

/// <summary>
/// The Idempotency-Key of the POSTs made inside a scope. Without one, each POST gets a new key of its own, which covers the
/// client's own retries. A system that must retry a request after it restarted (it cannot know whether the first attempt
/// was applied) keeps a key it can derive again, e.g. from its own case and operation ids, and sends it in a scope:
/// the gateway then answers the retry with the first answer and applies nothing twice.
/// </summary>
public static class IdempotencyKey
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The key for POSTs made until the returned scope is disposed (one POST per scope: a key names one request).</summary>
    public static IDisposable Use(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var outer = Current.Value;
        Current.Value = key;
        return new Scope(outer);
    }

    internal static string Next() => Current.Value ?? Guid.NewGuid().ToString("N");

    private sealed class Scope(string? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }
}
