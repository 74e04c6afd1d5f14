namespace ReturnOps.Runtime;

/// <summary>Describes one grain interface method to the runtime; generated once per method.</summary>
public sealed class GrainMethod(Type interfaceType, string name, bool readOnly)
{
    public Type InterfaceType { get; } = interfaceType;
    public string Name { get; } = name;

    /// <summary>Marked <see cref="ReadOnlyAttribute"/>: may interleave with other read-only calls.</summary>
    public bool ReadOnly { get; } = readOnly;

    public override string ToString() => $"{InterfaceType.Name}.{Name}";
}

/// <summary>
/// Base of the generated grain references. A call packs its arguments into a value tuple and passes a
/// static lambda that unpacks them on the grain: no reflection and no closure per call.
/// </summary>
public abstract class GrainReference(GrainRuntime runtime, GrainId grainId)
{
    public GrainId GrainId { get; } = grainId;

    protected Task<TResult> InvokeAsync<TGrain, TArgs, TResult>(GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body)
        where TGrain : IGrain => runtime.Invoke(GrainId, method, args, body);

    protected Task InvokeAsync<TGrain, TArgs>(GrainMethod method, TArgs args, Func<TGrain, TArgs, Task> body)
        where TGrain : IGrain => runtime.Invoke<TGrain, (TArgs Args, Func<TGrain, TArgs, Task> Body), bool>(GrainId, method, (args, body), static async (g, a) =>
        {
            await a.Body(g, a.Args);
            return true;
        });

    public override string ToString() => GrainId.ToString();
}
