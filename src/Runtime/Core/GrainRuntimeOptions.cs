namespace ReturnOps.Runtime;

/// <summary>Settings of one runtime instance ("silo").</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>Names this instance in reminder and outbox claims; must differ between replicas.</summary>
    public string SiloName { get; set; } = DefaultSiloName();

    /// <summary>How long a caller waits for a grain call before <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation unused for this long is collected.</summary>
    public TimeSpan IdleCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for; <see cref="Timeout.InfiniteTimeSpan"/> only when asked.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Above this many live activations, the least recently used are shed.</summary>
    public int MaxActivations { get; set; } = 200_000;

    /// <summary>How often due reminders are claimed; <see cref="Timeout.InfiniteTimeSpan"/> polls only when asked.</summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed reminder is held before another replica may fire it; longer than a call can take.</summary>
    public TimeSpan ReminderLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Host, process and a random part, cut to 40 characters (short host names and process ids give fewer).</summary>
    private static string DefaultSiloName()
    {
        var name = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        return name.Length > 40 ? name[..40] : name;
    }
}
