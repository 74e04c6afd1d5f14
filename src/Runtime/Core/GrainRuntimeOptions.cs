namespace ReturnOps.Runtime;

/// <summary>Settings of one runtime instance ("silo").</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>Names this instance in reminder and outbox claims; must differ between replicas.</summary>
    public string SiloName { get; set; } = DefaultSiloName();

    // At most 40 characters; a short host name and process id give fewer, and slicing [..40] then threw.
    private static string DefaultSiloName()
    {
        var name = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        return name[..Math.Min(40, name.Length)];
    }

    /// <summary>How long a caller waits for a grain call before <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation unused for this long is collected.</summary>
    public TimeSpan IdleCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Above this many live activations, the least recently used are shed.</summary>
    public int MaxActivations { get; set; } = 200_000;

    /// <summary>How often due reminders are claimed.</summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed reminder is held before another replica may fire it; longer than a call can take.</summary>
    public TimeSpan ReminderLease { get; set; } = TimeSpan.FromMinutes(2);
}
