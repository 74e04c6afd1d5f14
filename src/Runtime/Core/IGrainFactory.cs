namespace ReturnOps.Runtime;

/// <summary>Hands out references to grains; a reference is cheap and activates nothing until called.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
