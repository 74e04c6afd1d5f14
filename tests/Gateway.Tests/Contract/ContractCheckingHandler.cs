namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>A response broke the gateway's own OpenAPI document.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// A response-validating proxy inside the test client: every answer of every Gateway test is checked against the document the
/// gateway serves (read once, on the first request), and one that departs from it fails the request, and so the test, with a
/// message naming the operation, the status and what is wrong. Event streams are checked by status, media type and headers
/// without reading them (they stay open).
/// </summary>
public sealed class ContractCheckingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const string DocumentPath = "/openapi/v1.json";
    private readonly Lock _gate = new();
    private Task<OpenApiContract>? _contract;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var uri = request.RequestUri!;
        if (uri.AbsolutePath.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            return response;
        }
        Task<OpenApiContract> loading;
        lock (_gate)
        {
            loading = _contract ??= LoadAsync(new Uri(uri, DocumentPath));
        }
        var contract = await loading;
        string? body = null;
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        var violations = contract.Check(request.Method.Method, uri.AbsolutePath, (int)response.StatusCode, response.Headers, response.Content.Headers, body);
        if (violations.Count > 0)
        {
            response.Dispose();
            throw new ContractViolationException("The answer breaks /openapi/v1.json:\n" + string.Join("\n", violations));
        }
        return response;
    }

    private async Task<OpenApiContract> LoadAsync(Uri document)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, document);
        using var response = await base.SendAsync(request, CancellationToken.None);
        response.EnsureSuccessStatusCode();
        return OpenApiContract.Parse(await response.Content.ReadAsStringAsync());
    }
}
