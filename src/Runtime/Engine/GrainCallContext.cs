namespace ReturnOps.Runtime.Engine;

/// <summary>
/// Runs a chain of filters around one call; allocated only when filters are registered. A context with a
/// grain instance runs incoming filters, one without runs outgoing filters.
/// </summary>
internal sealed class GrainCallContext<TGrain, TArgs, TResult>(
    GrainId grainId, GrainMethod method, TArgs args, object? grain, IReadOnlyList<object> filters, Func<Task<TResult>> call)
    : IIncomingGrainCallContext
{
    private int _next;
    private TResult? _result;

    public GrainId GrainId { get; } = grainId;
    public GrainMethod Method { get; } = method;
    public object? Arguments => args;
    public object Grain => grain ?? throw new InvalidOperationException("An outgoing call has no grain instance.");
    public object? Result => _result;
    public TResult TypedResult => _result!;

    public async Task Invoke()
    {
        if (_next < filters.Count)
        {
            var filter = filters[_next++];
            await (grain is not null ? ((IIncomingGrainCallFilter)filter).Invoke(this) : ((IOutgoingGrainCallFilter)filter).Invoke(this));
            return;
        }
        _result = await call();
    }
}
