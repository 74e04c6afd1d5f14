namespace ReturnOps.Runtime;

/// <summary>
/// The stored version of a grain's state is not the one the activation read: another activation
/// (on this or another replica) wrote first. The runtime deactivates and replays the call once.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException() : base("The grain state was changed by another writer.") { }
    public InconsistentStateException(string message) : base(message) { }
    public InconsistentStateException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The database cannot be reached; the call changed nothing and may be retried later.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() : base("Storage is unavailable.") { }
    public StorageUnavailableException(string message) : base(message) { }
    public StorageUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A grain call did not complete within the call timeout. The turn may still complete later:
/// a timeout tells the caller that it does not know the outcome, not that nothing happened.
/// </summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException() { }
    public GrainCallTimeoutException(string message) : base(message) { }
    public GrainCallTimeoutException(string message, Exception inner) : base(message, inner) { }
}
