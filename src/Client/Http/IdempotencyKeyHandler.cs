namespace ReturnOps.Client.Http;

/// <summary>
/// Gives every POST an Idempotency-Key once, before any retry: every attempt of one call carries the same key, so a
/// retried booking whose first answer was lost is answered from the gateway's record instead of being booked twice.
/// </summary>
internal sealed class IdempotencyKeyHandler : DelegatingHandler
{
    public const string Header = "Idempotency-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && !request.Headers.Contains(Header))
        {
            request.Headers.Add(Header, IdempotencyKey.Next());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
