namespace ReturnOps.Grains.Bench;

/// <summary>How long and how often each benchmark measures (the old runtime's benchmark used the same values).</summary>
internal sealed record Settings(TimeSpan WarmUp, TimeSpan Sample, int Repetitions, int Activations)
{
    public static Settings Full { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 5, 100_000);

    public static Settings Quick { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), 3, 10_000);
}
