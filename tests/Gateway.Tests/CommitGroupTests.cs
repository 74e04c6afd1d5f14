using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The group commit under the audit chain and the idempotency store, without a database: the commit is a function the
/// test holds open, so which writes share a group is decided by the test, not by timing.
/// </summary>
public sealed class CommitGroupTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    /// <summary>A commit the test releases: it records each group and answers each write with its double.</summary>
    private sealed class HeldCommit
    {
        public List<int[]> Groups { get; } = [];
        public TaskCompletionSource FirstEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Poison { get; init; } = -1;

        public async Task<IReadOnlyList<int>> CommitAsync(IReadOnlyList<int> group)
        {
            lock (Groups)
            {
                Groups.Add([.. group]);
            }
            FirstEntered.TrySetResult();
            await Release.Task;
            return group.Contains(Poison) ? throw new InvalidOperationException("poisoned group") : [.. group.Select(w => w * 2)];
        }
    }

    private static int[][] Groups(HeldCommit commit) => [.. commit.Groups];

    [Fact]
    public async Task Writes_that_arrive_during_a_commit_share_the_next_group_in_arrival_order_and_each_gets_its_own_result()
    {
        var commit = new HeldCommit();
        var group = new CommitGroup<int, int>(commit.CommitAsync, maxGroupSize: 100);
        var first = group.WriteAsync(0, CancellationToken.None);
        await commit.FirstEntered.Task.WaitAsync(s_wait);
        var later = Enumerable.Range(1, 20).Select(i => group.WriteAsync(i, CancellationToken.None)).ToList();

        commit.Release.SetResult();

        Assert.Equal(0, await first.WaitAsync(s_wait));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 2), await Task.WhenAll(later).WaitAsync(s_wait));
        Assert.Equal([[0], Enumerable.Range(1, 20).ToArray()], Groups(commit));
    }

    [Fact]
    public async Task A_failed_group_fails_every_write_in_it_and_the_next_group_still_commits()
    {
        var commit = new HeldCommit { Poison = 7 };
        var group = new CommitGroup<int, int>(commit.CommitAsync, maxGroupSize: 100);
        var first = group.WriteAsync(0, CancellationToken.None);
        await commit.FirstEntered.Task.WaitAsync(s_wait);
        var poisoned = Enumerable.Range(1, 10).Select(i => group.WriteAsync(i, CancellationToken.None)).ToList();

        commit.Release.SetResult();

        Assert.Equal(0, await first.WaitAsync(s_wait));
        foreach (var write in poisoned)
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => write.WaitAsync(s_wait));
            Assert.Equal("poisoned group", failure.Message);
        }
        Assert.Equal(22, await group.WriteAsync(11, CancellationToken.None).WaitAsync(s_wait));
        Assert.Equal([[0], Enumerable.Range(1, 10).ToArray(), [11]], Groups(commit));
    }

    [Fact]
    public async Task Groups_are_cut_at_the_maximum_size_and_every_write_is_committed_once()
    {
        var commit = new HeldCommit();
        var group = new CommitGroup<int, int>(commit.CommitAsync, maxGroupSize: 4);
        var first = group.WriteAsync(0, CancellationToken.None);
        await commit.FirstEntered.Task.WaitAsync(s_wait);
        var later = Enumerable.Range(1, 10).Select(i => group.WriteAsync(i, CancellationToken.None)).ToList();

        commit.Release.SetResult();

        await Task.WhenAll(later.Append(first)).WaitAsync(s_wait);
        Assert.Equal([[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]], Groups(commit));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_withdrawn_and_never_committed()
    {
        var commit = new HeldCommit();
        var group = new CommitGroup<int, int>(commit.CommitAsync, maxGroupSize: 100);
        var first = group.WriteAsync(0, CancellationToken.None);
        await commit.FirstEntered.Task.WaitAsync(s_wait);
        using var cancel = new CancellationTokenSource();
        var withdrawn = group.WriteAsync(1, cancel.Token);
        var kept = group.WriteAsync(2, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn.WaitAsync(s_wait));
        commit.Release.SetResult();

        Assert.Equal(4, await kept.WaitAsync(s_wait));
        await first.WaitAsync(s_wait);
        Assert.Equal([[0], [2]], Groups(commit));
    }

    /// <summary>
    /// Any number of writes queued behind a held commit, any group size, any writes whose group the database refuses: the
    /// groups are the queue cut in arrival order (none larger than the cap, every write in exactly one), and each write is
    /// answered with its own result, or with the failure of its group exactly when that group holds a refused write.
    /// </summary>
    [Fact]
    public void Any_queue_cap_and_refusals_answer_every_write_once_with_its_own_group_s_outcome()
    {
        var cases =
            from count in Gen.Choose(1, 60)
            from cap in Gen.Choose(1, 20)
            from refused in Gen.SubListOf(Enumerable.Range(0, 60))
            select (Count: count, Cap: cap, Refused: refused.ToHashSet());
        var property = Prop.ForAll(Arb.From(cases), c => CheckAsync(c.Count, c.Cap, c.Refused).GetAwaiter().GetResult());
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(200).WithQuietOnSuccess(true), property);
    }

    private static async Task CheckAsync(int count, int cap, HashSet<int> refused)
    {
        var groups = new List<int[]>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var group = new CommitGroup<int, int>(async writes =>
        {
            groups.Add([.. writes]);
            await release.Task;
            return writes.Any(refused.Contains) ? throw new InvalidOperationException("refused") : [.. writes.Select(w => w * 2)];
        }, cap);
        var writes = Enumerable.Range(0, count).Select(i => group.WriteAsync(i, CancellationToken.None)).ToList();
        release.SetResult();
        await Task.WhenAll(writes).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(s_wait);

        Assert.Equal(Enumerable.Range(0, count), groups.SelectMany(g => g));
        Assert.All(groups, g => Assert.InRange(g.Length, 1, cap));
        foreach (var g in groups)
        {
            var failed = g.Any(refused.Contains);
            Assert.All(g, w => Assert.Equal(failed ? TaskStatus.Faulted : TaskStatus.RanToCompletion, writes[w].Status));
            Assert.All(g.Where(_ => !failed), w => Assert.Equal(w * 2, writes[w].Result));
        }
    }

    /// <summary>Many writers on many threads: each write is committed exactly once and answered with its own result.</summary>
    [Fact]
    public async Task Concurrent_writers_each_get_their_own_result_and_no_write_is_lost_or_repeated()
    {
        var committed = new List<int>();
        var group = new CommitGroup<int, int>(async writes =>
        {
            await Task.Yield();
            lock (committed)
            {
                committed.AddRange(writes);
            }
            return [.. writes.Select(w => -w)];
        }, maxGroupSize: 16);

        var results = await Task.WhenAll(Enumerable.Range(1, 2000).Select(i => Task.Run(() => group.WriteAsync(i, CancellationToken.None)))).WaitAsync(s_wait);

        Assert.Equal(Enumerable.Range(1, 2000).Select(i => -i), results);
        Assert.Equal(Enumerable.Range(1, 2000), committed.Order());
    }
}
