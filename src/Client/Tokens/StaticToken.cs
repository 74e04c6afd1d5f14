namespace ReturnOps.Client.Tokens;

/// <summary>One token for the client's life: scripts and tests. A service should use <see cref="RefreshingToken"/>.</summary>
public sealed class StaticToken(string token) : ITokenSource
{
    public ValueTask<string> GetTokenAsync(bool refresh, CancellationToken cancellationToken) => ValueTask.FromResult(token);
}
