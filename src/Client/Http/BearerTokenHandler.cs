using System.Net;
using System.Net.Http.Headers;
using ReturnOps.Client.Tokens;

namespace ReturnOps.Client.Http;

/// <summary>
/// Puts the token on every attempt (a retry after a long Retry-After may need a newer one) and, after a 401, asks the
/// source for a new token and tries once more: a token that expired in flight or a rotated key costs one round trip, not a
/// failed booking.
/// </summary>
internal sealed class BearerTokenHandler(ITokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(refresh: false, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        var refused = request.Headers.Authorization.Parameter;
        var renewed = await tokens.GetTokenAsync(refresh: true, cancellationToken);
        if (renewed == refused)
        {
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken);
    }
}
