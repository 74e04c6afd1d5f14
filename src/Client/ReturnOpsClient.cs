using ReturnOps.Client.Events;
using ReturnOps.Client.Http;
using ReturnOps.Client.Tokens;

namespace ReturnOps.Client;

/// <summary>
/// The ReturnOps gateway for a member-state or partner system: <see cref="Api"/> has every operation of the served OpenAPI
/// document (generated at build), and every call goes through the same pipeline: the bearer token (renewed after a 401),
/// an Idempotency-Key on every POST, retries of what may be retried with that same key, and problems as
/// <see cref="Problems.ReturnOpsProblemException"/> with the rule code. Answers carry their headers
/// (<see cref="ApiResponseHeaders.ETag"/> to pass back as <c>if_Match</c>).
/// </summary>
public sealed class ReturnOpsClient : IDisposable
{
    private readonly ReturnOpsClientOptions _options;

    private ReturnOpsClient(HttpClient http, ReturnOpsClientOptions options)
    {
        Http = http;
        _options = options;
        Api = new ReturnOpsApi(http);
    }

    /// <summary>Every operation of the gateway's contract.</summary>
    public IReturnOpsApi Api { get; }

    /// <summary>The configured pipeline itself, for a request the contract's operations do not cover.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// A client of the gateway at <paramref name="gateway"/> (its root, e.g. <c>https://jcp.example.eu/</c>).
    /// <paramref name="transport"/> replaces the socket handler (a proxy, client certificates, or a test's handler).
    /// </summary>
    public static ReturnOpsClient Create(Uri gateway, ITokenSource tokens, ReturnOpsClientOptions? options = null, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(tokens);
        options ??= new ReturnOpsClientOptions();
        // Outermost first: the key is set once, problems are read after the last retry, each attempt gets a current token.
        var pipeline = new IdempotencyKeyHandler
        {
            InnerHandler = new ProblemHandler
            {
                InnerHandler = new RetryHandler(options)
                {
                    InnerHandler = new BearerTokenHandler(tokens) { InnerHandler = transport ?? new SocketsHttpHandler() },
                },
            },
        };
        var root = gateway.AbsoluteUri.EndsWith('/') ? gateway : new Uri(gateway.AbsoluteUri + "/");
        // Each attempt has its own limit (ReturnOpsClientOptions.AttemptTimeout); an event stream has none.
        return new ReturnOpsClient(new HttpClient(pipeline) { BaseAddress = root, Timeout = Timeout.InfiniteTimeSpan }, options);
    }

    /// <summary>
    /// The operation's view now and after every change, until <paramref name="cancellationToken"/> ends the reading
    /// (reconnecting by itself when the gateway ends a stream at the token's expiry).
    /// </summary>
    public IAsyncEnumerable<OperationView> OperationEventsAsync(string operationId, CancellationToken cancellationToken = default) =>
        OperationEvents.ReadAsync(Http, operationId, _options.RetryDelay, _options.TimeProvider, cancellationToken);

    public void Dispose() => Http.Dispose();
}
