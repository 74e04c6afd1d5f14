using Npgsql;

namespace ReturnOps.RowLockingBaseline;

/// <summary>
/// One transaction per booking: lock the operation's row (<c>FOR UPDATE</c>), lock the returnees' rows, check the rules,
/// insert the booking, mark the returnees, count the seats, write notifications and the audit row, commit. Bookings of
/// one operation wait for each other on the row lock, as the grain's turns wait for each other.
/// </summary>
public sealed class RowLockingBookings(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<BookingOutcome> BookAsync(string operationId, string country, string subject, string idempotencyKey, BookingInput input)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var operation = await LockOperationAsync(connection, operationId);
        if (operation is null)
        {
            return new BookingOutcome.NotFound();
        }
        // Checked under the operation's lock, so two retries of one request cannot both pass.
        if (await FindByKeyAsync(connection, idempotencyKey) is { } earlier)
        {
            return earlier.OperationId == operationId && earlier.Country == country
                ? new BookingOutcome.Booked(earlier.Answer)
                : new BookingOutcome.Refused("validation", "This Idempotency-Key was used for another booking.");
        }
        var returnees = await LockReturneesAsync(connection, input.Returnees);
        if (Check(operation, country, input, returnees) is { } refusal)
        {
            return refusal;
        }
        var seats = input.Returnees.Length + input.Staff;
        var status = seats <= operation.Capacity - operation.ConfirmedSeats ? "Confirmed" : "Waitlisted";
        var bookingId = await InsertBookingAsync(connection, operationId, country, idempotencyKey, status, input, seats);
        await Execute(connection, "UPDATE returnees SET booking_id = @booking WHERE id = ANY(@ids)", ("booking", bookingId), ("ids", input.Returnees));
        if (status == "Confirmed")
        {
            await Execute(connection, "UPDATE operations SET confirmed_seats = confirmed_seats + @seats WHERE id = @id", ("seats", seats), ("id", operationId));
        }
        string[] destinations = country == operation.Organiser ? [country, "secretariat"] : [country, operation.Organiser, "secretariat"];
        await Execute(connection, """
            INSERT INTO notifications (operation_id, destination, subject, booking_id, seats)
            SELECT @operation, d, @subject, @booking, @seats FROM unnest(@destinations) AS d
            """, ("operation", operationId), ("subject", "booking." + status.ToLowerInvariant()), ("booking", bookingId), ("seats", seats),
            ("destinations", destinations));
        await Execute(connection, "INSERT INTO audit_log (at, subject, action, operation_id, booking_id) VALUES (@at, @subject, 'booking.create', @operation, @booking)",
            ("at", clock.GetUtcNow()), ("subject", subject), ("operation", operationId), ("booking", bookingId));
        await transaction.CommitAsync();
        return new BookingOutcome.Booked(new BookingAnswer(bookingId, status, seats));
    }

    /// <summary>
    /// Cancels one of the country's bookings in one transaction under the operation's row lock: the booking becomes
    /// Cancelled, its returnees are free again, its confirmed seats are given back and the waitlist is promoted by the
    /// grain's rule (arrival order, first fit: every waitlisted booking that fits the seats left is confirmed). Cancelling
    /// a cancelled booking changes nothing (a retry).
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(string operationId, long bookingId, string country, string subject)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var operation = await LockOperationAsync(connection, operationId);
        if (operation is null)
        {
            return CancelOutcome.NotFound;
        }
        string status;
        int seats;
        await using (var find = new NpgsqlCommand("SELECT status, seats FROM bookings WHERE id = @id AND operation_id = @operation AND country = @country", connection))
        {
            find.Parameters.AddWithValue("id", bookingId);
            find.Parameters.AddWithValue("operation", operationId);
            find.Parameters.AddWithValue("country", country);
            await using var reader = await find.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return CancelOutcome.NotFound;
            }
            (status, seats) = (reader.GetString(0), reader.GetInt32(1));
        }
        if (status == "Cancelled")
        {
            return CancelOutcome.Cancelled;
        }
        if (operation.Status != "Announced")
        {
            return CancelOutcome.Closed;
        }
        await Execute(connection, "UPDATE bookings SET status = 'Cancelled' WHERE id = @booking", ("booking", bookingId));
        if (status == "Confirmed")
        {
            await Execute(connection, "UPDATE operations SET confirmed_seats = confirmed_seats - @seats WHERE id = @id", ("seats", seats), ("id", operationId));
        }
        await Execute(connection, "UPDATE returnees SET booking_id = NULL WHERE booking_id = @booking", ("booking", bookingId));
        var promoted = await PromoteAsync(connection, operationId, operation.Capacity);
        await Execute(connection, """
            INSERT INTO notifications (operation_id, destination, subject, booking_id, seats)
            SELECT @operation, d.destination, d.subject, d.booking, d.seats
            FROM unnest(@destinations, @subjects, @bookings, @seats) AS d (destination, subject, booking, seats)
            """, ("operation", operationId),
            ("destinations", promoted.Select(p => p.Country).Prepend(country).ToArray()),
            ("subjects", promoted.Select(_ => "booking.promoted").Prepend("booking.cancelled").ToArray()),
            ("bookings", promoted.Select(p => p.Id).Prepend(bookingId).ToArray()),
            ("seats", promoted.Select(p => p.Seats).Prepend(0).ToArray()));
        await Execute(connection, "INSERT INTO audit_log (at, subject, action, operation_id, booking_id) VALUES (@at, @subject, 'booking.cancel', @operation, @booking)",
            ("at", clock.GetUtcNow()), ("subject", subject), ("operation", operationId), ("booking", bookingId));
        await transaction.CommitAsync();
        return CancelOutcome.Cancelled;
    }

    /// <summary>The grain's first fit (SeatAllocation.Promote): waitlisted bookings in arrival order, each confirmed if it fits the seats left.</summary>
    private static async Task<List<(long Id, string Country, int Seats)>> PromoteAsync(NpgsqlConnection connection, string operationId, int capacity)
    {
        var waiting = new List<(long Id, string Country, int Seats)>();
        int confirmed;
        await using (var seats = new NpgsqlCommand("SELECT confirmed_seats FROM operations WHERE id = @id", connection))
        {
            seats.Parameters.AddWithValue("id", operationId);
            confirmed = (int)(await seats.ExecuteScalarAsync())!;
        }
        await using (var list = new NpgsqlCommand("SELECT id, country, seats FROM bookings WHERE operation_id = @id AND status = 'Waitlisted' ORDER BY id", connection))
        {
            list.Parameters.AddWithValue("id", operationId);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                waiting.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }
        var free = capacity - confirmed;
        var promoted = new List<(long Id, string Country, int Seats)>();
        foreach (var booking in waiting)
        {
            if (booking.Seats <= free)
            {
                promoted.Add(booking);
                free -= booking.Seats;
            }
        }
        if (promoted.Count > 0)
        {
            await Execute(connection, "UPDATE bookings SET status = 'Confirmed' WHERE id = ANY(@ids)", ("ids", promoted.Select(p => p.Id).ToArray()));
            await Execute(connection, "UPDATE operations SET confirmed_seats = confirmed_seats + @seats WHERE id = @id",
                ("seats", promoted.Sum(p => p.Seats)), ("id", operationId));
        }
        return promoted;
    }

    private BookingOutcome.Refused? Check(OperationRow operation, string country, BookingInput input, IReadOnlyList<ReturneeRow> returnees)
    {
        if (operation.Status != "Announced" || clock.GetUtcNow() >= operation.BookingDeadline)
        {
            return new("booking-closed", "The operation does not take bookings now.");
        }
        if (input.Returnees.Length == 0 || input.Returnees.Distinct().Count() != input.Returnees.Length
            || new[] { input.Escorts, input.Medical, input.Monitors, input.Interpreters, input.Observers }.Any(n => n < 0))
        {
            return new("validation", "A booking names distinct returnees and no negative staff count.");
        }
        if (returnees.Count != input.Returnees.Length || returnees.Any(r => r.Owner != country))
        {
            return new("validation", "A returnee was not found for this country.");
        }
        var departure = DateOnly.FromDateTime(operation.Departure.UtcDateTime);
        if (returnees.FirstOrDefault(r => !r.DecisionEnforceable || r.AppealSuspensive || !r.NonRefoulementCleared
            || r.TravelDocumentValidUntil is not { } valid || valid < departure) is { } ineligible)
        {
            return new("enforceable-decision", $"{ineligible.Id} cannot be returned on this operation.");
        }
        if (returnees.FirstOrDefault(r => r.BookingId is not null) is { } booked)
        {
            return new("already-booked", $"{booked.Id} already holds a seat in another booking.");
        }
        var required = (int)Math.Ceiling(operation.EscortsPerForced * returnees.Count(r => !r.Voluntary));
        if (input.Escorts < required)
        {
            return new("escort-ratio", $"{required} escorts are needed for the forced returnees of this booking, {input.Escorts} were booked.");
        }
        var seats = input.Returnees.Length + input.Staff;
        return seats > operation.Capacity ? new("capacity", $"The booking needs {seats} seats; the aircraft has {operation.Capacity}.") : null;
    }

    private static async Task<OperationRow?> LockOperationAsync(NpgsqlConnection connection, string operationId)
    {
        await using var command = new NpgsqlCommand("""
            SELECT organiser, status, capacity, confirmed_seats, departure, booking_deadline, escorts_per_forced
            FROM operations WHERE id = @id FOR UPDATE
            """, connection);
        command.Parameters.AddWithValue("id", operationId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new OperationRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetDecimal(6))
            : null;
    }

    private static async Task<(string OperationId, string Country, BookingAnswer Answer)?> FindByKeyAsync(NpgsqlConnection connection, string key)
    {
        await using var command = new NpgsqlCommand("SELECT id, operation_id, country, status, seats FROM bookings WHERE idempotency_key = @key", connection);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(1), reader.GetString(2), new BookingAnswer(reader.GetInt64(0), reader.GetString(3), reader.GetInt32(4)))
            : null;
    }

    /// <summary>In id order, so that two bookings naming the same returnees cannot deadlock.</summary>
    private static async Task<List<ReturneeRow>> LockReturneesAsync(NpgsqlConnection connection, string[] ids)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, owner, decision_enforceable, appeal_suspensive, non_refoulement_cleared, travel_document_valid_until, voluntary, booking_id
            FROM returnees WHERE id = ANY(@ids) ORDER BY id FOR UPDATE
            """, connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ReturneeRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new ReturneeRow(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetInt64(7)));
        }
        return rows;
    }

    private static async Task<long> InsertBookingAsync(NpgsqlConnection connection, string operationId, string country, string key, string status,
        BookingInput input, int seats)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO bookings (operation_id, country, idempotency_key, status, returnees, escorts, other_staff, seats)
            VALUES (@operation, @country, @key, @status, @returnees, @escorts, @other, @seats) RETURNING id
            """, connection);
        command.Parameters.AddWithValue("operation", operationId);
        command.Parameters.AddWithValue("country", country);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("returnees", input.Returnees.Length);
        command.Parameters.AddWithValue("escorts", input.Escorts);
        command.Parameters.AddWithValue("other", input.Staff - input.Escorts);
        command.Parameters.AddWithValue("seats", seats);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    private sealed record OperationRow(string Organiser, string Status, int Capacity, int ConfirmedSeats, DateTimeOffset Departure,
        DateTimeOffset BookingDeadline, decimal EscortsPerForced);

    private sealed record ReturneeRow(string Id, string Owner, bool DecisionEnforceable, bool AppealSuspensive, bool NonRefoulementCleared,
        DateOnly? TravelDocumentValidUntil, bool Voluntary, long? BookingId);
}
