using System.Reflection;
using System.Text.Json;

namespace ReturnOps.Runtime.Engine;

/// <summary>Which class implements each grain interface, and each class by its stored type name.</summary>
internal sealed class GrainClassRegistry
{
    private readonly Dictionary<Type, GrainClassInfo> _byInterface = [];
    private readonly Dictionary<string, GrainClassInfo> _byTypeName = new(StringComparer.Ordinal);

    public GrainClassRegistry(IEnumerable<Assembly> assemblies, JsonSerializerOptions json)
    {
        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (type.IsAbstract || !type.IsSubclassOf(typeof(Grain)))
            {
                continue;
            }
            var info = GrainClassInfo.For(type, json);
            if (!_byTypeName.TryAdd(info.TypeName, info))
            {
                throw new InvalidOperationException($"Grain type name '{info.TypeName}' is used by {type.Name} and {_byTypeName[info.TypeName].ClassType.Name}.");
            }
            foreach (var grainInterface in type.GetInterfaces().Where(i => typeof(IGrainWithStringKey).IsAssignableFrom(i) && i != typeof(IGrainWithStringKey)))
            {
                if (!_byInterface.TryAdd(grainInterface, info))
                {
                    throw new InvalidOperationException($"{grainInterface.Name} is implemented by both {type.Name} and {_byInterface[grainInterface].ClassType.Name}.");
                }
            }
        }
    }

    public GrainClassInfo ForInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var info)
            ? info
            : throw new InvalidOperationException($"No registered grain class implements {grainInterface.Name}.");

    public GrainClassInfo ForTypeName(string typeName) =>
        _byTypeName.TryGetValue(typeName, out var info)
            ? info
            : throw new InvalidOperationException($"No registered grain class is stored as '{typeName}'.");
}
