namespace ReturnOps.Runtime;

/// <summary>Settings of one runtime instance ("silo").</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>Names this instance in reminder and outbox claims; must differ between replicas.</summary>
    public string SiloName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

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

    /// <summary>
    /// Whether this instance claims and fires due reminders. Off on a replica that leaves them to dedicated
    /// workers; its grains still register reminders, which another replica fires.
    /// </summary>
    public bool PollReminders { get; set; } = true;

    /// <summary>How long a claimed reminder is held before another replica may fire it; longer than a call can take.</summary>
    public TimeSpan ReminderLease { get; set; } = TimeSpan.FromMinutes(2);
}
