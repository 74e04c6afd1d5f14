namespace ReturnOps.Silo.Messaging;

internal static class TaskSettling
{
    /// <summary>Completes when every task has completed, whether it succeeded, failed or was cancelled.</summary>
    public static Task WhenAllSettled(this IEnumerable<Task> tasks) =>
        Task.WhenAll(tasks).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
