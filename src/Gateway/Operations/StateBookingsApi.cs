using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.ReadModels;

namespace ReturnOps.Gateway.Operations;

/// <summary>
/// One booking of the caller's state on an operation that has not ended, with what the coordinator's page shows of its
/// operation. Counts only: the returnees of a booking are read on the operation's bookings.
/// </summary>
public sealed record StateBookingItem(string Id, BookingStatus Status, int Seats, int ReturneeCount, int SuspendedReturneeCount,
    string OperationId, OperationType OperationType, IReadOnlyList<string> Destinations, OperationStatus OperationStatus, DateTimeOffset Departure);

/// <summary>A page of a state's bookings; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record StateBookingList(IReadOnlyList<StateBookingItem> Items, string? NextAfter);

/// <summary>
/// <c>GET /bookings</c>: a coordinator's bookings on running operations in one list, from the read model
/// (<see cref="ReadModelLists.BookingPage"/>), instead of one <c>GET /operations/{id}/bookings</c> per operation.
/// </summary>
public static class StateBookingsApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;
    private const string CursorList = "bookings";

    public static IEndpointRouteBuilder MapStateBookingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/bookings", "Bookings");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Coordinator)
            .WithSummary("List the caller's state's bookings on operations that have not ended")
            .WithDescription("Bookings of the caller's country only, on Announced, BookingClosed, Confirmed and Departed operations; " +
                "by departure, then operation, then arrival. An operation that is completed or cancelled leaves the list.");
        return app;
    }

    private static async Task<Ok<StateBookingList>> ListAsync(HttpContext http, GatewayDatabase database, CancellationToken cancellationToken,
        [Description("Only bookings on operations in this status: Announced, BookingClosed, Confirmed or Departed.")] string? operationStatus = null,
        [Description("Only bookings in this status: Confirmed, Waitlisted, Suspended or Cancelled.")] string? status = null,
        [Description("The nextAfter of the page before; absent for the first page.")] string? after = null,
        [Description("Page size, 1 to 500; 100 when absent.")][Range(1, MaxPageSize)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 3);
        var operation = ApiConventions.EnumOrNull<OperationStatus>(operationStatus, "operationStatus");
        if (operation is { } o && !ReadModelSchema.Running.Contains(o))
        {
            throw RequestProblemException.BadRequest("operationStatus must be one of Announced, BookingClosed, Confirmed, Departed: ended operations are not listed.");
        }
        var filter = new BookingListFilter(http.User.ToCaller().CountryOf(), operation?.ToString(),
            ApiConventions.EnumOrNull<BookingStatus>(status, "status")?.ToString());
        var rows = await database.RunAsync(async connection =>
        {
            await using var query = GatewayDatabase.Command(connection, ReadModelLists.BookingPage(filter, cursor is not null),
                ("@country", filter.Country), ("@operation_status", filter.OperationStatus), ("@status", filter.Status),
                ("@after_ms", cursor?.Number(0)), ("@after_operation", cursor?.Id(1)), ("@after_sequence", cursor?.Number(2)),
                ("@limit", (long)size + 1));
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var items = new List<(StateBookingItem Item, long Sequence)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add((new StateBookingItem(reader.GetString(0), Enum.Parse<BookingStatus>(reader.GetString(1)),
                    Int(reader, 2), Int(reader, 3), Int(reader, 4), reader.GetString(5), Enum.Parse<OperationType>(reader.GetString(6)),
                    reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries), Enum.Parse<OperationStatus>(reader.GetString(8)),
                    DateTimeOffset.FromUnixTimeMilliseconds(Long(reader, 9))), Long(reader, 10)));
            }
            return items;
        }, cancellationToken);
        var (page, next) = PageCursor.Page(rows, size, CursorList, r =>
            [r.Item.Departure.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), r.Item.OperationId, r.Sequence.ToString(CultureInfo.InvariantCulture)]);
        return TypedResults.Ok(new StateBookingList([.. page.Select(r => r.Item)], next));
    }

    private static long Long(System.Data.Common.DbDataReader reader, int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static int Int(System.Data.Common.DbDataReader reader, int i) => Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture);
}
