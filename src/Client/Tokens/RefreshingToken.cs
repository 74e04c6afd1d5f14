namespace ReturnOps.Client.Tokens;

/// <summary>A token and the moment it stops being valid, as the identity provider issued it.</summary>
public readonly record struct IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Keeps one token from <c>issue</c> and asks for a new one <see cref="Margin"/> before it expires, or at once after a 401
/// (a revoked key or a rotated signing key). Callers that arrive together while a token is being issued share that one
/// request: a burst of bookings does not become a burst at the identity provider.
/// </summary>
public sealed class RefreshingToken(Func<CancellationToken, Task<IssuedToken>> issue, TimeProvider? clock = null) : ITokenSource
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _issuing = new(1, 1);
    private IssuedToken? _current;

    /// <summary>How long before its expiry a token is replaced; the gateway refuses one past <c>exp</c>.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromSeconds(30);

    public async ValueTask<string> GetTokenAsync(bool refresh, CancellationToken cancellationToken)
    {
        var seen = _current;
        if (!refresh && Fresh(seen))
        {
            return seen!.Value.Token;
        }
        await _issuing.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have replaced the token while this one waited: use theirs unless it is the one refused.
            if (_current is { } now && Fresh(now) && (!refresh || now.Token != seen?.Token))
            {
                return now.Token;
            }
            _current = await issue(cancellationToken);
            return _current.Value.Token;
        }
        finally
        {
            _issuing.Release();
        }
    }

    private bool Fresh(IssuedToken? token) => token is { } t && _clock.GetUtcNow() < t.ExpiresAt - Margin;
}
