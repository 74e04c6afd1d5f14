namespace ReturnOps.Storage;

/// <summary>The identity of a grain: its stored type name and its key.</summary>
public readonly record struct GrainKey(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
