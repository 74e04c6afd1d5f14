using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>
/// The error answers of every operation, as problem documents: those that follow from how the gateway works (a token is
/// checked, a POST reads its body for the idempotency key, a path names a resource, storage may be down) derived here once,
/// and those particular to an endpoint from its <see cref="ProblemStatusesMetadata"/> and <see cref="IfMatchMetadata"/>.
/// </summary>
public sealed class ProblemResponses : IOpenApiOperationTransformer
{
    private static readonly Dictionary<int, string> s_meaning = new()
    {
        [400] = "Malformed body or parameter (or a POST without an Idempotency-Key).",
        [401] = "No token, or a token that is not valid (signature, issuer, audience, lifetime, claims).",
        [403] = "The caller's role may not do this.",
        [404] = "Not found, or not visible to the caller.",
        [409] = "The resource's state does not allow this (`rule` says which), or a request with the same Idempotency-Key is still running.",
        [410] = "The stored answer of this Idempotency-Key named a returnee's case since erased; the request is not acted on again (`rule` `erased`).",
        [412] = "If-Match does not match the resource's current ETag; nothing changed.",
        [413] = "The body is larger than Gateway:MaxRequestBodyBytes.",
        [415] = "The body is not JSON.",
        [422] = "Well-formed but refused: a rule (`rule`, `violations`), a value out of its range (`validation`) or an Idempotency-Key reused with another body.",
        [429] = "Too many requests (or event streams) for this caller; retry after Retry-After seconds.",
        [500] = "An unexpected failure (a bug): the problem names no cause and carries no stack trace. A POST may be retried with the same Idempotency-Key: a failed answer is not kept.",
        [503] = "Storage or the cluster is unavailable; nothing changed; retry after Retry-After seconds.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var statuses = Statuses(operation, context);
        var responses = operation.Responses ??= [];
        foreach (var status in statuses)
        {
            responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse
            {
                Description = s_meaning[status],
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Problem.ContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema.Id, context.Document) },
                },
            });
        }
        // In status order, so that a reader finds the success first.
        var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (key, response) in sorted)
        {
            responses[key] = response;
        }
        return Task.CompletedTask;
    }

    private static SortedSet<int> Statuses(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var method = context.Description.HttpMethod ?? "";
        var isApi = context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        // Every operation may fail unexpectedly: the problem middleware answers any exception as a 500 problem document.
        var statuses = new SortedSet<int>(metadata.OfType<ProblemStatusesMetadata>().SelectMany(m => m.Statuses)) { StatusCodes.Status500InternalServerError };
        var readsBody = operation.RequestBody is { Required: true };
        var isPost = HttpMethods.IsPost(method);
        if (isApi)
        {
            statuses.Add(StatusCodes.Status503ServiceUnavailable);
            if (operation.Parameters?.Count > 0 || operation.RequestBody is not null || isPost)
            {
                statuses.Add(StatusCodes.Status400BadRequest);
            }
        }
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }
        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }
        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }
        if (isPost)
        {
            // Every POST reads its body for the Idempotency-Key (413), may meet its key still running (409) or reused (422).
            statuses.UnionWith([StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity]);
            if (!metadata.OfType<IdempotentInGrainAttribute>().Any())
            {
                // The gateway keeps its answer, which becomes 410 once a case it named is erased (IdempotencyStore.ErasedFromResponsesAsync).
                statuses.Add(StatusCodes.Status410Gone);
            }
        }
        if (readsBody)
        {
            statuses.UnionWith([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity]);
        }
        if (metadata.OfType<IfMatchMetadata>().Any())
        {
            statuses.Add(StatusCodes.Status412PreconditionFailed);
        }
        return statuses;
    }
}
