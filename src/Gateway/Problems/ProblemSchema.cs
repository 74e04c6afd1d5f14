using Microsoft.OpenApi;

namespace ReturnOps.Gateway.Problems;

/// <summary>
/// <see cref="Problem"/> as the OpenAPI document describes it: RFC 9457's members and ours (<c>rule</c>, <c>violations</c>).
/// Written out rather than generated, because the framework's <c>ProblemDetails</c> schema lacks our members and forbids others;
/// the Gateway tests check every problem the gateway answers against this schema.
/// </summary>
public static class ProblemSchema
{
    public const string Id = "Problem";

    public static OpenApiSchema Create(OpenApiDocument document) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem document. A broken business rule names its code in `rule`; a confirmation refused for several rules lists them in `violations`.",
        Required = new HashSet<string> { "type", "title", "status", "detail" },
        AdditionalPropertiesAllowed = false,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`urn:returnops:problem:` and the rule code or the status's name, e.g. `urn:returnops:problem:capacity`." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The status's title." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "What went wrong, for people; never a stack trace." },
            ["rule"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The broken rule's code (api.md's rule codes, `validation`, `subscription.*`); only on a rule's refusal." },
            ["violations"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Every rule a request broke, when it broke more than one.",
                Items = new OpenApiSchemaReference("RuleViolation", document),
            },
        },
    };
}
