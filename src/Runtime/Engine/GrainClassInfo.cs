using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Runtime.Storage;

namespace ReturnOps.Runtime.Engine;

/// <summary>
/// How to build one grain class: found by reflection once at start-up, then used through compiled
/// factories, so activating a grain costs no reflection.
/// </summary>
internal sealed class GrainClassInfo
{
    private readonly ObjectFactory _factory;
    private readonly Func<GrainActivation, StoredState, IStateHolder>? _createState;

    private GrainClassInfo(Type classType, string typeName, Type? stateType, ObjectFactory factory, Func<GrainActivation, StoredState, IStateHolder>? createState)
    {
        ClassType = classType;
        TypeName = typeName;
        StateType = stateType;
        _factory = factory;
        _createState = createState;
    }

    public Type ClassType { get; }
    public string TypeName { get; }
    public Type? StateType { get; }

    public Grain Create(IServiceProvider services, IStateHolder? state) =>
        (Grain)_factory(services, state is null ? [] : [state]);

    public IStateHolder CreateState(GrainActivation activation, StoredState stored) =>
        _createState!(activation, stored);

    public static GrainClassInfo For(Type classType, JsonSerializerOptions json)
    {
        var typeName = classType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? DefaultTypeName(classType);
        var constructors = classType.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new InvalidOperationException($"Grain class {classType.Name} must have exactly one public constructor.");
        }
        var stateParameter = constructors[0].GetParameters()
            .Select(p => p.ParameterType)
            .SingleOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IPersistentState<>));
        var stateType = stateParameter?.GetGenericArguments()[0];
        var factory = ActivatorUtilities.CreateFactory(classType, stateParameter is null ? [] : [stateParameter]);
        var createState = stateType is null
            ? null
            : (Func<GrainActivation, StoredState, IStateHolder>)typeof(GrainClassInfo)
                .GetMethod(nameof(StateFactory), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(stateType)
                .Invoke(null, [json])!;
        return new GrainClassInfo(classType, typeName, stateType, factory, createState);
    }

    private static Func<GrainActivation, StoredState, IStateHolder> StateFactory<TState>(JsonSerializerOptions json) where TState : class, new()
    {
        var typeInfo = json.TryGetTypeInfo(typeof(TState), out var info)
            ? (JsonTypeInfo<TState>)info
            : throw new InvalidOperationException(
                $"Grain state {typeof(TState).Name} is not in a registered JsonSerializerContext; add [JsonSerializable(typeof({typeof(TState).Name}))].");
        return (activation, stored) =>
        {
            var state = new PersistentState<TState>(activation, typeInfo);
            state.Load(stored);
            return state;
        };
    }

    /// <summary><c>ReturnOperationGrain</c> is stored as <c>return-operation</c>.</summary>
    private static string DefaultTypeName(Type classType)
    {
        var name = classType.Name.EndsWith("Grain", StringComparison.Ordinal) ? classType.Name[..^5] : classType.Name;
        return string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
    }
}
