using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The served document (<c>/openapi/v1.json</c>): generated from the endpoints (decimals kept as numbers, <see cref="DecimalSchemas"/>; the limits <see cref="RequestLimits"/> enforces, <see cref="RequestLimitSchemas"/>),
/// then completed by conventions applied once (<see cref="OperationConventions"/>, <see cref="ProblemResponses"/>, <see cref="ResponseHeaders"/>, in that order) and the
/// shared parts (<see cref="GatewayDocument"/>). Every answer the gateway gives validates against it (Gateway.Tests' contract check).
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddSchemaTransformer<DecimalSchemas>();
        o.AddSchemaTransformer<RequestLimitSchemas>();
        o.AddOperationTransformer<OperationConventions>();
        o.AddOperationTransformer<RequestLimitSchemas>();
        o.AddOperationTransformer<ProblemResponses>();
        o.AddOperationTransformer<ResponseHeaders>();
        o.AddDocumentTransformer<GatewayDocument>();
    });
}
