namespace ReturnOps.Client.Tokens;

/// <summary>Where the client's bearer tokens come from: the member state's identity provider, as the gateway trusts it.</summary>
public interface ITokenSource
{
    /// <summary>
    /// A token for the next request. <paramref name="refresh"/> is true after the gateway answered 401 to the token last
    /// given: return a new one (or the same, if there is none; the 401 then reaches the caller).
    /// </summary>
    ValueTask<string> GetTokenAsync(bool refresh, CancellationToken cancellationToken);
}
