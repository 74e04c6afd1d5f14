using ReturnOps.Grains.Operations;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Returnees;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// What one write of an operation sends besides its header (<see cref="StoredOperation"/>): the rows that moved since the
/// last committed write, and nothing else. No grain, no database.
/// </summary>
public sealed class StoredOperationTests
{
    private static readonly Func<string, ReturneeHolds.Hold> HoldFor = booking =>
        new(new BookingRef(AnnouncedOperation.Id, booking), new EligibilityContext(AnnouncedOperation.Now.AddDays(12), ["NG"], 28));

    private static StoredOperation Fresh(AnnouncedOperation operation) =>
        new(operation.State.Status, new Dictionary<string, string>(), new Dictionary<string, string>());

    private static StoredOperation.Change Changes(StoredOperation stored, AnnouncedOperation operation) =>
        stored.Changes(AnnouncedOperation.Id, operation.State, operation.Bookings.Holds(), HoldFor, AnnouncedOperation.Now);

    private static string[] Tables(StoredOperation.Change change) => [.. change.Rows.Select(r => $"{r.GetType().Name} {r.Table} {r.Id}")];

    [Fact]
    public void A_booking_sends_its_row_its_holds_its_country_and_list_rows_once_and_a_write_with_nothing_moved_sends_only_the_header_row()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "r1")], escorts: 2);
        var stored = Fresh(operation);

        var first = Changes(stored, operation);
        stored.Remember(first);
        var again = Changes(stored, operation);

        Assert.Equal([
            $"ReadModelUpsert {BookingRows.Table} op-1/0",
            $"ReadModelUpsert {ReadModelSchema.Operations} op-1",
            $"ReadModelUpsert {ReadModelSchema.Participants} op-1/AT",
            $"ReadModelUpsert {ReadModelSchema.Bookings} op-1/b1",
            $"ReadModelInsert {ReturneeHolds.Table} r1",
            $"ReadModelUpdate {ReadModelSchema.Returnees} r1",
        ], Tables(first));
        // The operation's list row carries its update time; nothing else moved.
        Assert.Equal([$"ReadModelUpsert {ReadModelSchema.Operations} op-1"], Tables(again));
    }

    [Fact]
    public void A_second_country_booking_sends_its_own_rows_and_leaves_the_first_countrys_unchanged_rows_alone()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "r1")], escorts: 2);
        var stored = Fresh(operation);
        stored.Remember(Changes(stored, operation));

        operation.Book("DE", "b2", [Judged.Forced("DE", "r2")], escorts: 2);
        var change = Changes(stored, operation);

        Assert.DoesNotContain(change.Rows, r => r.Id.EndsWith("/AT", StringComparison.Ordinal) || r.Id is "op-1/0" or "op-1/b1" or "r1");
        Assert.Contains(change.Rows, r => r.Table == ReadModelSchema.Participants && r.Id == "op-1/DE");
        Assert.Contains(change.Rows, r => r is ReadModelInsert { Id: "r2" });
    }

    [Fact]
    public void A_cancellation_takes_the_hold_rows_away_and_marks_the_returnees_released()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "r1"), Judged.Forced("AT", "r2")], escorts: 4);
        var stored = Fresh(operation);
        stored.Remember(Changes(stored, operation));

        operation.Cancel("b1");
        var change = Changes(stored, operation);

        Assert.Equal(["r1", "r2"], change.Rows.OfType<ReadModelDelete>().Where(r => r.Table == ReturneeHolds.Table).Select(r => r.Id).Order());
        Assert.Equal(["r1", "r2"], change.Rows.OfType<ReadModelUpdate>().Where(r => r.Table == ReadModelSchema.Returnees).Select(r => r.Id).Order());
        Assert.DoesNotContain(change.Rows, r => r is ReadModelInsert);
    }

    [Fact]
    public void What_a_write_sent_is_sent_again_until_a_write_commits_it()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "r1")], escorts: 2);
        var stored = Fresh(operation);

        var failed = Changes(stored, operation);
        // Not remembered: that write did not commit.
        var retried = Changes(stored, operation);

        Assert.Equal(Tables(failed), Tables(retried));
    }

    [Fact]
    public void A_status_move_rewrites_every_booking_list_row_with_the_operations_new_status()
    {
        var operation = new AnnouncedOperation();
        operation.Book("AT", "b1", [Judged.Forced("AT", "r1")], escorts: 2);
        operation.Book("DE", "b2", [Judged.Forced("DE", "r2")], escorts: 2);
        var stored = Fresh(operation);
        stored.Remember(Changes(stored, operation));

        operation.State.Status = OperationStatus.BookingClosed;
        var change = Changes(stored, operation);

        var lists = change.Rows.OfType<ReadModelUpsert>().Where(r => r.Table == ReadModelSchema.Bookings).ToList();
        Assert.Equal(["op-1/b1", "op-1/b2"], lists.Select(r => r.Id));
        Assert.All(lists, r => Assert.Equal("BookingClosed", r.Columns["operation_status"]));
    }
}
