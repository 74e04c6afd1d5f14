using Orleans.Storage;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>
/// The grains' group commit on its own, with no cluster and no database: a write the test holds open and releases, and
/// decisions named by numbers.
/// </summary>
public sealed class DecisionCommitsTests
{
    /// <summary>A write function whose calls the test sees and finishes one by one.</summary>
    private sealed class HeldWrites
    {
        private readonly Queue<TaskCompletionSource> _open = new();

        public List<IReadOnlyList<int>> Groups { get; } = [];
        public int Broke { get; private set; }
        public Exception? BrokeWith { get; private set; }

        public DecisionCommits<int> Commits { get; }

        public HeldWrites() => Commits = new(Write, reason => { Broke++; BrokeWith = reason; });

        private Task Write(IReadOnlyList<int> group)
        {
            lock (_open)
            {
                Groups.Add(group);
                var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _open.Enqueue(write);
                return write.Task;
            }
        }

        public async Task WhenWriting(int writes)
        {
            while (true)
            {
                lock (_open)
                {
                    if (Groups.Count >= writes)
                    {
                        return;
                    }
                }
                await Task.Yield();
            }
        }

        public void Finish(Exception? failure = null)
        {
            TaskCompletionSource write;
            lock (_open)
            {
                write = _open.Dequeue();
            }
            if (failure is null)
            {
                write.SetResult();
            }
            else
            {
                write.SetException(failure);
            }
        }
    }

    [Fact]
    public async Task Decisions_made_while_a_write_is_in_flight_share_the_next_write_and_each_caller_returns_after_its_own()
    {
        var writes = new HeldWrites();
        var first = writes.Commits.Commit(1);
        await writes.WhenWriting(1);
        var later = Enumerable.Range(2, 5).Select(writes.Commits.Commit).ToList();

        Assert.False(first.IsCompleted);
        writes.Finish();
        await first;
        await writes.WhenWriting(2);
        Assert.All(later, commit => Assert.False(commit.IsCompleted));
        writes.Finish();
        await Task.WhenAll(later);

        Assert.Equal([[1], [2, 3, 4, 5, 6]], writes.Groups);
        Assert.Equal(0, writes.Broke);
    }

    [Fact]
    public async Task A_failed_write_fails_its_decisions_and_every_one_queued_after_it_writes_nothing_more_and_breaks_once()
    {
        var writes = new HeldWrites();
        var first = writes.Commits.Commit(1);
        await writes.WhenWriting(1);
        var queued = writes.Commits.Commit(2);

        writes.Finish(new TimeoutException("the database is gone"));

        var failed = await Assert.ThrowsAsync<StorageUnavailableException>(() => first);
        Assert.IsType<TimeoutException>(failed.InnerException);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => queued);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => writes.Commits.Commit(3));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => writes.Commits.Settled());
        Assert.Single(writes.Groups);
        Assert.Equal(1, writes.Broke);
    }

    [Fact]
    public async Task A_stale_version_reaches_the_caller_as_itself_so_the_runtime_replays_it_on_fresh_state()
    {
        var writes = new HeldWrites();
        var commit = writes.Commits.Commit(1);
        await writes.WhenWriting(1);

        writes.Finish(new InconsistentStateException("stored version is not 4"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => commit);
        Assert.Equal(1, writes.Broke);
    }

    [Fact]
    public async Task An_exclusive_call_waits_for_the_writes_in_flight_and_holds_new_decisions_back_until_it_ends()
    {
        var writes = new HeldWrites();
        var decided = writes.Commits.Commit(1);
        await writes.WhenWriting(1);
        var exclusiveRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exclusiveEnds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exclusive = writes.Commits.Exclusively(async () =>
        {
            exclusiveRan.SetResult();
            await exclusiveEnds.Task;
        });
        var nextDecision = writes.Commits.Settled();

        Assert.False(exclusiveRan.Task.IsCompleted);
        writes.Finish();
        await decided;
        await exclusiveRan.Task;
        Assert.False(nextDecision.IsCompleted);

        exclusiveEnds.SetResult();
        await exclusive;
        await nextDecision;
    }

    [Fact]
    public async Task An_exclusive_call_refused_changes_nothing_and_breaks_nothing_one_that_fails_otherwise_breaks_the_grain()
    {
        var writes = new HeldWrites();

        await Assert.ThrowsAsync<DomainRuleException>(() => writes.Commits.Exclusively(() =>
            throw new DomainRuleException(RuleCode.Validation, "refused")));
        await writes.Commits.Settled();
        Assert.Equal(0, writes.Broke);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writes.Commits.Exclusively(() =>
            throw new InvalidOperationException("half-way")));
        Assert.Equal(1, writes.Broke);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => writes.Commits.Settled());
        Assert.Empty(writes.Groups);
    }
}
