using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>
/// The limits <see cref="RequestLimits"/> enforces, declared where the framework's schemas leave them out: the items of a list
/// bounded by <see cref="ItemsMaxLengthAttribute"/>, dates as long as the JSON reader takes them, and every string parameter
/// without an attribute of its own. (The framework already turns <c>[MaxLength]</c>, <c>[StringLength]</c> and <c>[Range]</c>
/// into <c>maxLength</c>/<c>maxItems</c>, <c>minimum</c>/<c>maximum</c>.)
/// </summary>
public sealed class RequestLimitSchemas : IOpenApiSchemaTransformer, IOpenApiOperationTransformer
{
    /// <summary>
    /// System.Text.Json reads a date as exactly <c>yyyy-MM-dd</c> and an ISO 8601 date-time of at most 42 characters (seven
    /// fractional digits and an offset are 33, and it takes up to 16 fractional digits); anything longer is a malformed body (400).
    /// </summary>
    private static readonly Dictionary<string, int> s_formatLengths = new(StringComparer.Ordinal) { ["date"] = 10, ["date-time"] = 42 };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ItemsMaxLengthAttribute), inherit: true) is [ItemsMaxLengthAttribute items, ..]
            && schema.Items is OpenApiSchema item)
        {
            item.MaxLength ??= items.Length;
        }
        if (schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Format is { } format && s_formatLengths.TryGetValue(format, out var length))
        {
            schema.MaxLength ??= length;
        }
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter.Schema is OpenApiSchema { MaxLength: null, Enum: null or { Count: 0 } } schema && schema.Type?.HasFlag(JsonSchemaType.String) == true
                && parameter.In is ParameterLocation.Path or ParameterLocation.Query)
            {
                schema.MaxLength = RequestLimits.DefaultMaxLength(parameter.In == ParameterLocation.Path);
            }
        }
        return Task.CompletedTask;
    }
}
