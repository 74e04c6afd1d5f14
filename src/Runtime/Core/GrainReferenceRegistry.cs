using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ReturnOps.Runtime;

/// <summary>
/// Where generated code registers how to build a reference for each grain interface. The generator
/// emits a module initializer per assembly; the registry runs it on first use of an interface.
/// </summary>
public static class GrainReferenceRegistry
{
    private static readonly ConcurrentDictionary<Type, Func<GrainRuntime, GrainId, GrainReference>> s_factories = new();

    /// <summary>Called by generated code.</summary>
    public static void Register<TGrainInterface>(Func<GrainRuntime, GrainId, GrainReference> factory)
        where TGrainInterface : IGrainWithStringKey => s_factories[typeof(TGrainInterface)] = factory;

    internal static Func<GrainRuntime, GrainId, GrainReference> Get(Type grainInterface)
    {
        if (s_factories.TryGetValue(grainInterface, out var factory))
        {
            return factory;
        }
        RuntimeHelpers.RunModuleConstructor(grainInterface.Module.ModuleHandle);
        return s_factories.TryGetValue(grainInterface, out factory)
            ? factory
            : throw new InvalidOperationException(
                $"No generated reference for {grainInterface.FullName}: reference ReturnOps.Runtime.Generator as an analyzer in its project.");
    }
}
