using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ReturnOps.Gateway.Idempotency;

namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>
/// What every operation gets from its method and metadata: an operationId from its handler, its security (the bearer token,
/// an optional credential of its own, or an explicit none), the Idempotency-Key of a POST and If-Match where it is checked,
/// and an optional empty-object body for a POST that reads none (the web pages send <c>{}</c>).
/// </summary>
public sealed class OperationConventions : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= OperationId(metadata.OfType<MethodInfo>().FirstOrDefault());
        operation.Security = Security(metadata, context.Document);
        var isPost = string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase);
        if (isPost)
        {
            (operation.Parameters ??= []).Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.KeyHeader,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Same caller, key and body: the first answer again (Idempotent-Replayed: true); another body: 422 idempotency-key-reuse.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 },
            });
            operation.RequestBody ??= new OpenApiRequestBody
            {
                Required = false,
                Description = "Nothing is read; an empty object is accepted.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, MaxProperties = 0 } },
                },
            };
        }
        if (metadata.OfType<CsvAlternativeMetadata>().Any() && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
        {
            // ApiExplorer keeps one response type per status (a second Produces replaces the first), so the CSV form is added here.
            content["text/csv"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180: a header line, CRLF line ends, dot decimals." },
            };
        }
        if (metadata.OfType<IfMatchMetadata>().Any())
        {
            (operation.Parameters ??= []).Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = false,
                Description = "The ETag the change must still find (or `*`); another one is 412 and changes nothing.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000 },
            });
        }
        return Task.CompletedTask;
    }

    private static List<OpenApiSecurityRequirement> Security(IList<object> metadata, OpenApiDocument? document)
    {
        if (metadata.OfType<OptionalCredentialMetadata>().FirstOrDefault() is { } optional)
        {
            // Either the credential or nothing, as the operator configures it.
            return [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(optional.Scheme, document)] = [] }, new OpenApiSecurityRequirement()];
        }
        // An explicit empty list: the linters read a missing one as "forgotten", not "public".
        return metadata.OfType<IAllowAnonymous>().Any()
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(GatewayDocument.Bearer, document)] = [] }];
    }

    /// <summary>
    /// <c>bookingsList</c> for <c>BookingsEndpoints.ListAsync</c>: the handler's class without its Api/Endpoints suffix and the
    /// method without Async. Stable while the code is, and unique (a test checks it) because handlers are named per class.
    /// </summary>
    private static string? OperationId(MethodInfo? handler)
    {
        if (handler?.DeclaringType is not { } type)
        {
            return null;
        }
        var owner = type.Name;
        foreach (var suffix in new[] { "Endpoints", "Api" })
        {
            if (owner.EndsWith(suffix, StringComparison.Ordinal) && owner.Length > suffix.Length)
            {
                owner = owner[..^suffix.Length];
            }
        }
        var method = handler.Name.EndsWith("Async", StringComparison.Ordinal) ? handler.Name[..^"Async".Length] : handler.Name;
        return char.ToLowerInvariant(owner[0]) + owner[1..] + method;
    }
}
