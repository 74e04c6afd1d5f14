namespace ReturnOps.Gateway.Idempotency;

/// <summary>
/// Marks a POST whose grain keeps its Idempotency-Key itself (a booking: the key names the booking, and the operation stores
/// the booking's answer in the batch that stores the booking, issue 22). <see cref="IdempotencyMiddleware"/> still requires the
/// key, and takes no lease and stores no answer of its own: a retry through any gateway is answered by the grain.
/// </summary>
public sealed class IdempotentInGrainAttribute : Attribute;

public static class IdempotentInGrainExtensions
{
    public static TBuilder IdempotentInGrain<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentInGrainAttribute());
}
