namespace ReturnOps.Silo.Hosting;

/// <summary>
/// What background work a replica does (configuration section <c>Silo</c>). Every replica serves grain calls;
/// in a cluster, gateways turn both switches off and dedicated workers do that work. The defaults keep the
/// one-process setup doing everything.
/// </summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    /// <summary>Runs the outbox dispatcher: webhooks to partners and grain-to-grain messages.</summary>
    public bool Dispatcher { get; set; } = true;

    /// <summary>Claims and fires due reminders (booking deadlines, readmission reply clocks, retention).</summary>
    public bool Reminders { get; set; } = true;

    /// <summary>Names the replica in reminder and outbox claims; by default host name, process id and a random suffix.</summary>
    public string? Name { get; set; }
}
