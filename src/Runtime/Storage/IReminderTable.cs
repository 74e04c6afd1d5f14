namespace ReturnOps.Runtime.Storage;

/// <summary>A stored reminder. <see cref="PeriodMs"/> is 0 for a one-shot reminder.</summary>
public sealed record ReminderEntry(GrainId Grain, string Name, long FirstDueMs, long DueMs, long PeriodMs);

/// <summary>Durable reminders; due rows are claimed with a lease so that one replica fires each tick.</summary>
public interface IReminderTable
{
    /// <summary>Creates or replaces a reminder.</summary>
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes a reminder; nothing happens if it does not exist.</summary>
    Task DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken);

    /// <summary>Reads one reminder, or null.</summary>
    Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> reminders due at <paramref name="nowMs"/> that no live lease holds,
    /// leasing them to <paramref name="owner"/> until <paramref name="leaseUntilMs"/>.
    /// </summary>
    Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(string owner, long nowMs, long leaseUntilMs, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// After a tick: moves the reminder to <paramref name="nextDueMs"/> (or deletes a one-shot, when null) and
    /// releases the lease — only if the row is still the one claimed (the grain may have changed it in its tick).
    /// </summary>
    Task CompleteTickAsync(ReminderEntry claimed, string owner, long? nextDueMs, CancellationToken cancellationToken);
}
