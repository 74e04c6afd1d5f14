using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Operations;

/// <summary>Seat bookings of one operation. Returnee ids are personal data of their country: these calls are audited.</summary>
public static class BookingsEndpoints
{
    public const string IdPrefix = "bk-";

    /// <summary>The audit action of a booking request; the operation writes it with the booking (".replayed" for a retry).</summary>
    private const string BookingCreated = "booking.create";
    private const string BookingCancelled = "booking.cancel";
    private const string ReturneeRemoved = "booking.returnee.remove";

    public static RouteGroupBuilder MapBookings(this RouteGroupBuilder operations)
    {
        operations.MapPost("/{id}/bookings", BookAsync).RequireAuthorization(Policies.Coordinator).Audited(BookingCreated).IdempotentInGrain()
            .WithSummary("Book seats for the caller's country, all or nothing")
            .WithDescription("Coordinator only, while the operation is Announced and before its booking deadline (409 `booking-closed`). The " +
                "booking is refused with every broken rule (422) or placed whole: Confirmed if its seats are free, else Waitlisted. Its id follows " +
                "from the Idempotency-Key, so a retry through any gateway gets the first answer (`Idempotent-Replayed: true`); the same key with " +
                "another booking is 422 `idempotency-key-reuse`.")
            .ProducesETag().ProducesLocation().AcceptsIfMatch();
        operations.MapGet("/{id}/bookings", ListAsync).RequireAuthorization(Policies.Coordinator).Audited("booking.list")
            .WithSummary("List the bookings the caller may see")
            .WithDescription("Coordinators only: the organiser sees every booking, another coordinator its own country's; returnee ids and staff " +
                "only on the caller's country's bookings. In arrival order, the order the waitlist moves up in. Audited.");
        operations.MapDelete("/{id}/bookings/{bookingId}", CancelAsync).RequireAuthorization(Policies.Coordinator).Audited(BookingCancelled)
            .WithSummary("Cancel a booking")
            .WithDescription("Coordinator of the booking's country only (404 for any other booking), until departure (409 after). The freed seats " +
                "go to the waitlist in the same step; cancelling a cancelled booking answers 204 again. Audited.")
            .AcceptsIfMatch().ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        operations.MapDelete("/{id}/bookings/{bookingId}/returnees/{returneeId}", RemoveReturneeAsync).RequireAuthorization(Policies.Coordinator)
            .Audited(ReturneeRemoved)
            .WithSummary("Take one returnee off a booking")
            .WithDescription("The rest of the booking stands; the returnee's seat goes to the waitlist in the same step and the returnee is free " +
                "for another operation. The booking's coordinator removes any of its returnees; the organiser, from any booking, a returnee a " +
                "destination rejected (404 for any other). Until departure, and never the last returnee: cancel the booking instead (409). " +
                "Removing a removed returnee answers 204 again. Audited.")
            .AcceptsIfMatch().ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        operations.MapPost("/{id}/bookings/{bookingId}/reinstate", ReinstateAsync).RequireAuthorization(Policies.Coordinator).Audited("booking.reinstate")
            .WithSummary("Bring a booking's suspended returnees back")
            .WithDescription("Coordinator of the booking's country only: a booking with suspended returnees, while the operation is Announced or " +
                "BookingClosed (409 otherwise). The suspended returnees are judged again and come back only into seats free now (422 with every " +
                "broken rule); a booking suspended whole is placed again behind every booking already waiting.")
            .ProducesETag().AcceptsIfMatch();
        operations.MapPut("/{id}/bookings/{bookingId}/staff", NameStaffAsync).RequireAuthorization(Policies.Coordinator).Audited("booking.staff")
            .WithSummary("Name a booking's staff with their travel documents")
            .WithDescription("Coordinator of the booking's country only. Replaces the list: exactly the booked count per role, distinct service " +
                "numbers, each with a travel document valid on the day of departure (422); only on a booking that stands, until departure (409). " +
                "Confirmation needs every confirmed booking's staff named.")
            .ProducesETag().AcceptsIfMatch().ProducesProblems(StatusCodes.Status409Conflict);
        return operations;
    }

    /// <summary>Added to the contract (rule 6): names the booking's staff by service number with their travel documents; replaces the list.</summary>
    private static async Task<Ok<BookingView>> NameStaffAsync(string id, string bookingId, StaffInput input, HttpContext http, IGrainFactory grains)
    {
        // Also checked by the grain; refused here before the list is copied and sent.
        if (input.Staff.Count > BookingLimits.MaxStaffPerBooking)
        {
            throw new DomainRuleException(RuleCode.Validation, $"A booking names at most {BookingLimits.MaxStaffPerBooking} staff members.");
        }
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var booking = await operation.NameStaff(http.User.ToCaller(), bookingId,
            [.. input.Staff.Select(m => new StaffMember(m.Reference, m.Role, m.TravelDocumentValidUntil))], expected);
        http.Response.Headers.ETag = ETags.FromContent(booking);
        return TypedResults.Ok(booking);
    }

    /// <summary>Added to the contract: a suspended booking arrives again, confirmed if it fits, else waitlisted.</summary>
    private static async Task<Ok<BookingView>> ReinstateAsync(string id, string bookingId, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var booking = await operation.ReinstateBooking(http.User.ToCaller(), bookingId, expected);
        http.Response.Headers.ETag = ETags.FromContent(booking);
        return TypedResults.Ok(booking);
    }

    /// <summary>
    /// One grain call (issue 22): the operation checks visibility, If-Match and the booking together, and answers a retry of
    /// the same key itself, from any gateway, with the booking's first answer (<see cref="IdempotencyMiddleware"/> leaves this
    /// endpoint's keys to it).
    /// </summary>
    private static async Task<Created<BookingView>> BookAsync(string id, BookingInput input, HttpContext http, IGrainFactory grains)
    {
        if (input.Returnees.Count > BookingLimits.MaxReturneesPerBooking || input.Returnees.Distinct().Count() != input.Returnees.Count || !input.Returnees.All(ApiConventions.IsId))
        {
            throw new DomainRuleException(RuleCode.Validation, $"A booking names at most {BookingLimits.MaxReturneesPerBooking} distinct returnee ids.");
        }
        var (operation, expected) = await OperationAccess.CheckedByItselfAsync(grains, id, http);
        var request = new BookingRequest(BookingId(id, http), [.. input.Returnees], input.Escorts, input.Medical, input.Monitors,
            input.Interpreters, input.Observers);
        var answer = await operation.RequestBooking(http.User.ToCaller(), request, expected, AuditRecorder.Note(http, BookingCreated));
        AuditRecorder.RecordedByGrain(http);
        if (answer.Replayed)
        {
            http.Response.Headers[IdempotencyMiddleware.ReplayedHeader] = "true";
        }
        http.Response.Headers.ETag = ETags.FromContent(answer.Booking);
        return TypedResults.Created($"{ApiConventions.BasePath}/operations/{id}/bookings", answer.Booking);
    }

    /// <summary>
    /// The booking's id follows from the operation, the caller and its Idempotency-Key, so that every attempt of one
    /// request names the same booking, through whichever gateway it comes: the operation answers a retry with the booking's
    /// first answer, or waits for the batch it is in (docs/reliability.md). Keys are per caller (role, country and sub, as
    /// idempotency keys); the same key with another booking is refused by the operation (422 idempotency-key-reuse).
    /// </summary>
    private static string BookingId(string operationId, HttpContext http)
    {
        var caller = http.User.IdentityKey();
        var key = http.Request.Headers[IdempotencyMiddleware.KeyHeader].ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', operationId, caller, key)));
        return IdPrefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public const int DefaultPageSize = 200;
    public const int MaxPageSize = 500;
    private const string CursorList = "bookings";

    /// <summary>
    /// In arrival order (the order the waitlist is promoted in), not newest first, in pages (<see cref="PageCursor"/>). One
    /// operation holds a few hundred bookings at most, so the grain hands over the visible ones and the page is cut here.
    /// </summary>
    private static async Task<Ok<BookingList>> ListAsync(string id, HttpContext http, IGrainFactory grains, string? after = null, [Range(1, MaxPageSize)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 1);
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        var from = cursor?.Number(0) ?? long.MinValue;
        var rows = (await grains.GetGrain<IReturnOperationGrain>(id).GetBookings(caller)).Where(b => b.Sequence > from).Take(size + 1).ToList();
        var (page, next) = PageCursor.Page(rows, size, CursorList, b => [b.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return TypedResults.Ok(new BookingList(page, next));
    }

    /// <summary>One grain call, like a cancellation: the operation checks visibility, access and If-Match, and audits with the removal.</summary>
    private static async Task<NoContent> RemoveReturneeAsync(string id, string bookingId, string returneeId, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.CheckedByItselfAsync(grains, id, http);
        await operation.RemoveReturnee(http.User.ToCaller(), bookingId, returneeId, expected, AuditRecorder.Note(http, ReturneeRemoved));
        AuditRecorder.RecordedByGrain(http);
        return TypedResults.NoContent();
    }

    /// <summary>One grain call, like a booking: the operation checks visibility and If-Match, and writes the audit entry with the cancellation.</summary>
    private static async Task<NoContent> CancelAsync(string id, string bookingId, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.CheckedByItselfAsync(grains, id, http);
        await operation.CancelBooking(http.User.ToCaller(), bookingId, expected, AuditRecorder.Note(http, BookingCancelled));
        AuditRecorder.RecordedByGrain(http);
        return TypedResults.NoContent();
    }
}
