using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using ReturnOps.Gateway.Idempotency;

namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>
/// The headers of the contract on the answers that carry them: <c>RateLimit</c> and <c>RateLimit-Policy</c> on every answer of a
/// rate-limited operation (<see cref="RateLimitHeaders"/>), <c>Retry-After</c> on every 429 and 503, <c>Idempotent-Replayed</c>
/// on every POST answer the idempotency store may replay, <c>ETag</c> and <c>Location</c> where the endpoint says it sets them.
/// Runs after <see cref="ProblemResponses"/>, so the error answers are there to be described.
/// </summary>
public sealed class ResponseHeaders : IOpenApiOperationTransformer
{
    public const string RetryAfter = "Retry-After";
    public const string ETag = "ETag";
    public const string Location = "Location";

    /// <summary>The header components the operations refer to.</summary>
    public static IReadOnlyDictionary<string, IOpenApiHeader> Components { get; } = new Dictionary<string, IOpenApiHeader>
    {
        [RetryAfter] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "86400" },
        },
        [RateLimitHeaders.Policy] = new OpenApiHeader
        {
            Description = "The caller's quota (IETF draft-ietf-httpapi-ratelimit-headers): `\"caller\";q=300;w=10`, permits `q` per window of `w` seconds.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100, Pattern = "^\"caller\";q=[0-9]+;w=[0-9]+$" },
        },
        [RateLimitHeaders.Current] = new OpenApiHeader
        {
            Description = "Permits left in the caller's current window (IETF draft-ietf-httpapi-ratelimit-headers): `\"caller\";r=299`. At 0 the next request is 429.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100, Pattern = "^\"caller\";r=[0-9]+$" },
        },
        [IdempotencyMiddleware.ReplayedHeader] = new OpenApiHeader
        {
            Description = "Present when this is the stored answer to an earlier request with the same Idempotency-Key and body.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
        },
        [ETag] = new OpenApiHeader
        {
            Description = "The resource's strong entity tag; send it back in If-Match to change the resource only as read.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[!#-~]*\"$" },
        },
        [Location] = new OpenApiHeader
        {
            Description = "Where the created resource (or the list it joined) is read.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
        },
    };

    /// <summary>Answers given before the idempotency store is consulted (authentication, the body limit, the rate limiter) or never stored (500, 503).</summary>
    private static readonly HashSet<string> s_neverReplayed = new(StringComparer.Ordinal) { "401", "413", "429", "500", "503" };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var isPost = string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase);
        var tagged = metadata.OfType<ETagMetadata>().Any();
        var located = metadata.OfType<LocationMetadata>().Any();
        var limited = !metadata.OfType<DisableRateLimitingAttribute>().Any();
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse answer)
            {
                continue;
            }
            var headers = answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
            void Add(string name) => headers[name] = new OpenApiHeaderReference(name, context.Document);
            if (limited)
            {
                Add(RateLimitHeaders.Policy);
                Add(RateLimitHeaders.Current);
            }
            if (status is "429" or "503")
            {
                Add(RetryAfter);
            }
            if (isPost && !s_neverReplayed.Contains(status))
            {
                Add(IdempotencyMiddleware.ReplayedHeader);
            }
            if (tagged && status.StartsWith('2') && status != "204")
            {
                Add(ETag);
            }
            if (located && status == "201")
            {
                Add(Location);
            }
        }
        return Task.CompletedTask;
    }
}
