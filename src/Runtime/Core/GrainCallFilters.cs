namespace ReturnOps.Runtime;

/// <summary>One grain call as filters see it.</summary>
public interface IGrainCallContext
{
    GrainId GrainId { get; }
    GrainMethod Method { get; }

    /// <summary>The arguments as a value tuple (boxed; only built when a filter is registered).</summary>
    object? Arguments { get; }

    /// <summary>The result after <see cref="Invoke"/> returned.</summary>
    object? Result { get; }

    /// <summary>Runs the next filter, then the call itself.</summary>
    Task Invoke();
}

/// <summary>A call as it enters an activation, inside its turn.</summary>
public interface IIncomingGrainCallContext : IGrainCallContext
{
    /// <summary>The grain instance that runs the call.</summary>
    object Grain { get; }
}

/// <summary>Wraps every call a grain receives (audit, metrics, tracing).</summary>
public interface IIncomingGrainCallFilter
{
    Task Invoke(IIncomingGrainCallContext context);
}

/// <summary>Wraps every call made through a grain reference.</summary>
public interface IOutgoingGrainCallFilter
{
    Task Invoke(IGrainCallContext context);
}
