namespace ReturnOps.Storage.Tests.Hosting;

/// <summary>Every wait in these tests has a limit, and a timeout says what was awaited.</summary>
public static class Bounded
{
    public static async Task Within(this Task task, TimeSpan limit, string waitingFor)
    {
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Gave up waiting for {waitingFor} after {limit}.", ex);
        }
    }

    public static async Task<T> Within<T>(this Task<T> task, TimeSpan limit, string waitingFor)
    {
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Gave up waiting for {waitingFor} after {limit}.", ex);
        }
    }
}
