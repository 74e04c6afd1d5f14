using System.Collections.Concurrent;

namespace ReturnOps.Grains.ReadModels;

/// <summary>What a clerk may narrow the returnee list to; null is "any". Erased cases only on request.</summary>
public sealed record ReturneeListFilter(string Owner, string? Status, bool IncludeErased, string? Nationality, string? OperationId, string? ReferencePrefix);

/// <summary>What a coordinator's booking list may be narrowed to: the operation's status and the booking's; null is "any".</summary>
public sealed record BookingListFilter(string Country, string? OperationStatus, string? Status);

/// <summary>What the operations list may be narrowed to; who may see drafts and which destination a partner sees is the caller's.</summary>
/// <param name="DraftsOf">Drafts are shown only of this organiser ('' for none); null: every draft (secretariat, fro, admin).</param>
/// <param name="Partner">A partner sees only operations to its country; null otherwise.</param>
public sealed record OperationListFilter(string? Status, string? Destination, string? Organiser, string? Partner, long? FromMs, long? ToMs, string? DraftsOf);

/// <summary>
/// The keyset lists on the read models, newest first, one text per combination of filters. A filter that is not asked
/// for is left out of the text rather than written as <c>(@x = '' OR col = @x)</c>: SQLite plans a statement once and
/// cannot use an index for a condition that may be switched off, and PostgreSQL's generic plans do the same.
/// The texts are valid on PostgreSQL and SQLite alike (row values, ||, LIMIT), so there is one per query, not one per
/// provider; the indexes they rely on are <see cref="ListIndexes"/>.
/// </summary>
public static class ReadModelLists
{
    private static readonly ConcurrentDictionary<string, string> s_texts = new();

    /// <summary>
    /// <c>GET /returnees</c>: @owner and, when asked for, @status, @nationality, @operation, @reference_from/@reference_to
    /// (a prefix as a byte range), @after_id; @limit. Newest first: ids are UUID v7, so their order is the order of creation.
    /// </summary>
    public static string ReturneePage(ReturneeListFilter f, bool after)
    {
        var where = new List<string> { "owner = @owner" };
        if (f.Status is not null)
        {
            where.Add("status = @status");
        }
        else if (!f.IncludeErased)
        {
            where.Add("status <> 'Erased'");
        }
        if (f.Nationality is not null)
        {
            where.Add("nationality = @nationality");
        }
        if (f.OperationId is not null)
        {
            where.Add("operation_id = @operation");
        }
        if (f.ReferencePrefix is not null)
        {
            where.Add("reference >= @reference_from AND reference < @reference_to");
        }
        if (after)
        {
            where.Add("id < @after_id");
        }
        return Text($"SELECT id, status, operation_id FROM {ReadModelSchema.Returnees}", where, "ORDER BY id DESC LIMIT @limit");
    }

    /// <summary>The upper bound of a reference prefix: every text that starts with it sorts below, byte-wise.</summary>
    public static string PrefixEnd(string prefix) => prefix + char.ConvertFromUtf32(0x10FFFF);

    /// <summary>
    /// <c>GET /operations</c>, newest departure first: the filters asked for, @after_ms/@after_id, @limit (and @offset for
    /// the contract's <c>page=</c>). Served by operation_list_departure, _status or _organiser in this order.
    /// </summary>
    public static string OperationPage(OperationListFilter f, bool after, bool offset)
    {
        var where = OperationConditions(f);
        if (after)
        {
            where.Add("(departure_ms, id) < (@after_ms, @after_id)");
        }
        return Text("""
            SELECT id, type, organiser, status, destinations, departure_ms, booking_deadline_ms, capacity, confirmed_seats, waitlisted_seats
            FROM operation_list
            """, where, "ORDER BY departure_ms DESC, id DESC LIMIT @limit" + (offset ? " OFFSET @offset" : ""));
    }

    /// <summary>The contract's <c>total</c> of <see cref="OperationPage"/>: 3,000 rows in ten years count in about a millisecond.</summary>
    public static string OperationCount(OperationListFilter f) => Text("SELECT count(*) FROM operation_list", OperationConditions(f), "");

    /// <summary><c>GET /readmission-requests</c>: @owner or @destination, @status when asked for, @after_id, @limit; newest first.</summary>
    public static string ReadmissionPage(bool byDestination, bool status, bool after)
    {
        var where = new List<string> { byDestination ? "destination = @destination" : "owner = @owner" };
        if (status)
        {
            where.Add("status = @status");
        }
        if (after)
        {
            where.Add("id < @after_id");
        }
        return Text($"SELECT id, returnee_id, owner, destination, status, reply_due_ms, accepted_by_silence FROM {ReadModelSchema.ReadmissionRequests}",
            where, "ORDER BY id DESC LIMIT @limit");
    }

    /// <summary>
    /// <c>GET /bookings</c>: @country, @operation_status and @status when asked for, @after_ms/@after_operation/@after_sequence,
    /// @limit. Departure first, then operation, then arrival; served by operation_bookings_country, _operation_status or _status.
    /// </summary>
    public static string BookingPage(BookingListFilter f, bool after)
    {
        var where = new List<string> { "country = @country" };
        if (f.OperationStatus is not null)
        {
            where.Add("operation_status = @operation_status");
        }
        if (f.Status is not null)
        {
            where.Add("status = @status");
        }
        if (after)
        {
            where.Add("(departure_ms, operation_id, sequence) > (@after_ms, @after_operation, @after_sequence)");
        }
        return Text($"""
            SELECT booking_id, status, seats, returnees, suspended, operation_id, type, destinations, operation_status, departure_ms, sequence
            FROM {ReadModelSchema.Bookings}
            """, where, "ORDER BY departure_ms, operation_id, sequence LIMIT @limit");
    }

    private static List<string> OperationConditions(OperationListFilter f)
    {
        var where = new List<string>();
        if (f.Status is not null)
        {
            where.Add("status = @status");
        }
        if (f.Destination is not null)
        {
            // Destinations are stored as ",AL,RS,": a code matches whole, never as a prefix of another.
            where.Add("destinations LIKE @destination_like");
        }
        if (f.Organiser is not null)
        {
            where.Add("organiser = @organiser");
        }
        if (f.Partner is not null)
        {
            where.Add("destinations LIKE @partner_like");
        }
        if (f.FromMs is not null)
        {
            where.Add("departure_ms >= @from_ms");
        }
        if (f.ToMs is not null)
        {
            where.Add("departure_ms < @to_ms");
        }
        if (f.DraftsOf is not null)
        {
            where.Add("(status <> 'Draft' OR organiser = @drafts_of)");
        }
        return where;
    }

    private static string Text(string select, List<string> where, string tail)
    {
        var key = select + "|" + string.Join("|", where) + "|" + tail;
        return s_texts.GetOrAdd(key, _ => select + (where.Count > 0 ? "\nWHERE " + string.Join("\n  AND ", where) : "") + (tail.Length > 0 ? "\n" + tail : ""));
    }
}
