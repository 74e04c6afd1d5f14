namespace ReturnOps.TestSupport;

/// <summary>
/// Waits for something another thread or process does (a NOTIFY arriving, a background write).
/// It checks often and fails with a message that says what it waited for, instead of sleeping a guess.
/// </summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string waitingFor, TimeSpan? within = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)((within ?? TimeSpan.FromSeconds(15)).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {waitingFor} after {within ?? TimeSpan.FromSeconds(15)}.");
            }
            await Task.Delay(10);
        }
    }

    public static Task True(Func<bool> condition, string waitingFor, TimeSpan? within = null) =>
        True(() => Task.FromResult(condition()), waitingFor, within);
}
