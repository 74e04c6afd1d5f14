namespace ReturnOps.Runtime;

/// <summary>
/// Marks a grain interface method that does not change state: it may run at the same time as other
/// read-only calls on the same activation, never at the same time as a call that may write.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>Names a grain class in storage; the name must never change once data exists.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
