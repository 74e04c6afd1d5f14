using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>
/// Decimals are numbers in the document as before <see cref="ExactDecimalConverter"/>: the schema exporter knows nothing of a
/// converter of ours and leaves its values unconstrained (<c>{}</c>), dropping the type, and for a nullable decimal its range too.
/// </summary>
public sealed class DecimalSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type) != typeof(decimal))
        {
            return Task.CompletedTask;
        }
        schema.Type = type == typeof(decimal) ? JsonSchemaType.Number : JsonSchemaType.Number | JsonSchemaType.Null;
        schema.Format = "double";
        if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(RangeAttribute), inherit: true) is [RangeAttribute range, ..])
        {
            schema.Minimum ??= Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
            schema.Maximum ??= Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
        }
        return Task.CompletedTask;
    }
}
