namespace ReturnOps.Grains.Rules;

/// <summary>
/// The grain refused the request before changing anything: its activation stays. The base of every domain refusal
/// (a broken rule, a missing resource, a denied role, a failed precondition); a grain throws one only before it
/// changes its memory, so the call filter keeps the activation, where it drops it on any other exception.
/// </summary>
/// <remarks>
/// Serialized by Orleans' generated codec: <see cref="Exception.Message"/>, stack trace, inner exception, HResult and
/// <see cref="Exception.Data"/> travel through Orleans' exception base codec, the <c>[Id]</c> members of each subclass
/// after them; the caller receives the same exception type.
/// </remarks>
[GenerateSerializer]
[Alias("ReturnOps.RefusalException")]
public abstract class RefusalException : Exception
{
    protected RefusalException()
    {
    }

    protected RefusalException(string message) : base(message)
    {
    }

    protected RefusalException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
