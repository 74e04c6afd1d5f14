namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>Error statuses an endpoint answers beyond the conventions of <see cref="ProblemResponses"/> (a lifecycle conflict on a DELETE, say).</summary>
public sealed record ProblemStatusesMetadata(IReadOnlyList<int> Statuses);

/// <summary>The endpoint's success answer carries the resource's <c>ETag</c>.</summary>
public sealed record ETagMetadata;

/// <summary>The endpoint's 201 carries a <c>Location</c>.</summary>
public sealed record LocationMetadata;

/// <summary>The endpoint checks <c>If-Match</c> against the resource's ETag (412 when it does not match).</summary>
public sealed record IfMatchMetadata;

/// <summary>The endpoint's 200 also comes as CSV (<c>text/csv</c>) when the request's Accept asks for it.</summary>
public sealed record CsvAlternativeMetadata;

/// <summary>An anonymous endpoint that takes a credential of its own when the operator configures one (the metrics scrape).</summary>
public sealed record OptionalCredentialMetadata(string Scheme);

/// <summary>
/// What an endpoint says about its answers for the OpenAPI document, as metadata the document's transformers read. Only what
/// is particular to an endpoint is said here; what follows from its method, route and policies is derived once, in the transformers.
/// </summary>
public static class ResponseMetadataExtensions
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemStatusesMetadata(statuses));

    public static TBuilder ProducesETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ETagMetadata());

    public static TBuilder ProducesLocation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new LocationMetadata());

    public static TBuilder AcceptsIfMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IfMatchMetadata());

    public static TBuilder TakesOptionalCredential<TBuilder>(this TBuilder builder, string scheme) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OptionalCredentialMetadata(scheme));

    public static TBuilder ProducesCsvAlternative<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CsvAlternativeMetadata());

    /// <summary>A server-sent event stream: <c>text/event-stream</c>, one event per change.</summary>
    public static RouteHandlerBuilder ProducesEventStream(this RouteHandlerBuilder builder) =>
        builder.Produces<string>(StatusCodes.Status200OK, "text/event-stream");
}
