namespace ReturnOps.Storage;

/// <summary>The database cannot be reached; the call changed nothing and may be retried later.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() : base("Storage is unavailable.") { }
    public StorageUnavailableException(string message) : base(message) { }
    public StorageUnavailableException(string message, Exception inner) : base(message, inner) { }
}
