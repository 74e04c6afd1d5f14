using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// The public keys of the <see cref="TrustedIssuer"/>s, read from their JWKS and kept for <see cref="CacheFor"/>. A token
/// naming a <c>kid</c> not in the cache makes one fresh read (a provider rotated its key), at most once per
/// <see cref="RefreshAtMostEvery"/> per issuer, so tokens with made-up kids cannot make the gateway hammer a provider.
/// Keys are fetched before validation (<see cref="EnsureAsync"/>, from the bearer handler's async event), because the
/// handler asks for keys synchronously (<see cref="Resolve"/>).
/// </summary>
public sealed partial class IssuerKeys(IReadOnlyList<TrustedIssuer> issuers, IHttpClientFactory http, TimeProvider clock, ILogger<IssuerKeys> logger)
{
    public const string HttpClientName = "jwks";

    /// <summary>Tests move this clock (keyed service) to pass <see cref="RefreshAtMostEvery"/>; unset, the system's.</summary>
    public const string ClockKey = "ReturnOps.IssuerKeys";
    public static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    public static readonly TimeSpan RefreshAtMostEvery = TimeSpan.FromSeconds(30);

    /// <summary>The only algorithms a configured issuer's token may use (never HS256: the key is public).</summary>
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal) { SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256 };

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TrustedIssuer? Find(string? issuer) => issuer is null ? null : issuers.FirstOrDefault(i => i.Issuer == issuer);

    /// <summary>Makes sure the cache holds <paramref name="issuer"/>'s current keys for a token with <paramref name="kid"/>.</summary>
    public async Task EnsureAsync(TrustedIssuer issuer, string? kid, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(issuer.Issuer, _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var expired = entry.ReadAt is not { } read || now - read >= CacheFor;
            var unknownKid = kid is not null && !entry.Keys.Any(k => k.KeyId == kid);
            var mayRefresh = entry.TriedAt is not { } tried || now - tried >= RefreshAtMostEvery;
            if ((expired || unknownKid) && mayRefresh)
            {
                entry.TriedAt = now;
                entry.Keys = await ReadAsync(issuer, cancellationToken) ?? entry.Keys;
                entry.ReadAt = now;
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>The cached keys of <paramref name="issuer"/> matching <paramref name="kid"/> (all of them without one).</summary>
    public IEnumerable<SecurityKey> Resolve(string issuer, string? kid) =>
        _entries.TryGetValue(issuer, out var entry) ? entry.Keys.Where(k => kid is null || k.KeyId == kid) : [];

    /// <summary>The provider's keys, or null if it cannot be read (the cached ones stay: a provider's outage is not a rotation).</summary>
    private async Task<IReadOnlyList<SecurityKey>?> ReadAsync(TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        try
        {
            using var client = http.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(issuer.JwksUrl, cancellationToken);
            return [.. new JsonWebKeySet(json).GetSigningKeys()];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            LogUnreadable(logger, issuer.Issuer, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The JWKS of issuer {Issuer} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string issuer, string reason);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public IReadOnlyList<SecurityKey> Keys { get; set; } = [];
        public DateTimeOffset? ReadAt { get; set; }
        public DateTimeOffset? TriedAt { get; set; }
    }
}
