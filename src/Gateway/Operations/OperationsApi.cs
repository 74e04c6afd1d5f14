using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Operations;

/// <summary>Return operations: plan, list, view and lifecycle. Bookings, oversight and events are in the sibling classes.</summary>
public static partial class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/operations", "Operations");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Coordinator).WithSummary("Plan an operation (in Draft)")
            .WithDescription("Coordinator only; the caller's country becomes the organiser. Destinations must be known countries and legs IATA " +
                "airport codes (422 `validation`); other coordinators do not see the draft until it is announced.")
            .ProducesETag().ProducesLocation();
        group.MapGet("/", ListAsync).WithSummary("List the operations the caller may see")
            .WithDescription("Every signed-in role but a reintegration provider: a partner sees the operations to its country, a coordinator its " +
                "own drafts and every operation past Draft, a monitor every operation past Draft, the secretariat, FRO and admin all. Newest " +
                "departure first; page with `after` (or `page`, not both) and filter by status, destination, organiser and departure time.");
        group.MapGet("/{id}", GetAsync).WithSummary("Read an operation")
            .WithDescription("404 when the caller may not see it: a partner sees only operations to its country, and a draft is hidden from " +
                "monitors and from coordinators other than the organiser's. The ETag is the operation's version, for If-Match on its changes " +
                "(412 when it moved).")
            .ProducesETag();
        group.MapPost("/{id}/status", ChangeStatusAsync).RequireAuthorization(Policies.Coordinator).WithSummary("Move an operation along its lifecycle")
            .WithDescription("Organiser's coordinator only. Draft, Announced, BookingClosed, Confirmed, Departed, Completed, or Cancelled before " +
                "departure; another step is 409 `invalid-transition`, announcing after the booking deadline 409 `booking-closed`. Confirming judges " +
                "every confirmed returnee again, with escorts, medical staff, the monitor, named staff and every destination's clearance (or " +
                "`overrideClearance` with a reason), and refuses with every broken rule (422).")
            .ProducesETag().AcceptsIfMatch();
        group.MapBookings();
        group.MapOversight();
        group.MapNoShows();
        group.MapEvents();
        return app;
    }

    private static async Task<Created<OperationView>> CreateAsync(OperationInput input, HttpContext http, IGrainFactory grains, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var organiser = http.User.ToCaller().CountryOf();
        await CheckCodesAsync(input, grains);
        var id = ApiConventions.NewId(OperationAccess.IdPrefix, clock);
        var plan = new OperationPlan(input.Type, organiser, [.. input.Destinations], [.. input.Legs.Select(l => new Leg(l.From, l.To, l.Departure))],
            input.SeatCapacity, input.BookingDeadline, input.EscortsPerReturnee, input.OrganiserSuppliesEscorts);
        var view = await grains.GetGrain<IReturnOperationGrain>(id).Create(plan);
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Created($"{ApiConventions.BasePath}/operations/{id}", view);
    }

    /// <summary>Destinations must be known countries and legs IATA codes: an unknown code is a rule violation (422).</summary>
    private static async Task CheckCodesAsync(OperationInput input, IGrainFactory grains)
    {
        var known = (await grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List()).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        if (input.Destinations.FirstOrDefault(d => !known.Contains(d)) is { } unknown)
        {
            throw new DomainRuleException(RuleCode.Validation, $"Destination '{Truncate(unknown)}' is not a known country.");
        }
        if (input.Legs.SelectMany(l => new[] { l.From, l.To }).FirstOrDefault(a => !Iata().IsMatch(a)) is { } airport)
        {
            throw new DomainRuleException(RuleCode.Validation, $"Airport '{Truncate(airport)}' is not an IATA code.");
        }
    }

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The last page <c>page=</c> may ask for: offset paging beyond it is what <c>after</c> is for.</summary>
    public const int MaxPage = 100_000;
    private const string CursorList = "operations";

    /// <summary>
    /// Newest departure first, in pages of <c>limit</c> (the contract's <c>pageSize</c> is the same); <c>after</c> continues
    /// from <c>nextAfter</c>. The contract's <c>page=</c> still reads by offset, in the same order, and cannot be combined
    /// with <c>after</c>.
    /// </summary>
    private static async Task<Ok<OperationPage>> ListAsync(
        HttpContext http, GatewayDatabase database, CancellationToken cancellationToken,
        string? status = null, [MaxLength(2)] string? destination = null, [MaxLength(2)] string? organiser = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        [Range(1, MaxPage)] int? page = null, [Range(1, MaxPageSize)] int? pageSize = null, string? after = null, [Range(1, MaxPageSize)] int? limit = null)
    {
        if (page < 1 || (page > 1 && after is { Length: > 0 }) || (pageSize is not null && limit is not null))
        {
            throw RequestProblemException.BadRequest("page starts at 1 and is not combined with after; give limit or pageSize, not both.");
        }
        var size = PageCursor.Limit(limit ?? pageSize, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 2);
        var caller = http.User.ToCaller();
        var filter = new OperationListFilter(
            ApiConventions.EnumOrNull<OperationStatus>(status, "status")?.ToString(),
            destination is { Length: > 0 } ? ApiConventions.CountryCode(destination, "destination") : null,
            organiser is { Length: > 0 } ? ApiConventions.CountryCode(organiser, "organiser") : null,
            caller.Role == Roles.Partner ? caller.CountryOf() : null,
            from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(),
            caller.Role is Roles.Secretariat or Roles.Admin or Roles.Fro ? null : caller.Role == Roles.Coordinator ? caller.Country ?? "" : "");
        var offset = page is > 1 ? (long)(page.Value - 1) * size : (long?)null;
        (string, object?)[] parameters =
        [
            ("@status", filter.Status), ("@destination_like", "%," + filter.Destination + ",%"), ("@organiser", filter.Organiser),
            ("@partner_like", "%," + filter.Partner + ",%"), ("@from_ms", filter.FromMs), ("@to_ms", filter.ToMs), ("@drafts_of", filter.DraftsOf),
            ("@after_ms", cursor?.Number(0)), ("@after_id", cursor?.Id(1)), ("@limit", (long)size + 1), ("@offset", offset),
        ];
        return await database.RunAsync(async connection =>
        {
            long total;
            await using (var count = GatewayDatabase.Command(connection, ReadModelLists.OperationCount(filter), parameters))
            {
                total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }
            await using var query = GatewayDatabase.Command(connection, ReadModelLists.OperationPage(filter, cursor is not null, offset is not null), parameters);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var items = new List<OperationSummary>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var capacity = Convert.ToInt32(reader.GetValue(7), CultureInfo.InvariantCulture);
                var confirmed = Convert.ToInt32(reader.GetValue(8), CultureInfo.InvariantCulture);
                items.Add(new OperationSummary(reader.GetString(0), Enum.Parse<OperationType>(reader.GetString(1)), reader.GetString(2),
                    Enum.Parse<OperationStatus>(reader.GetString(3)), reader.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries),
                    Time(reader.GetValue(5)), Time(reader.GetValue(6)),
                    new SeatSummary(capacity, confirmed, Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture), capacity - confirmed)));
            }
            var (pageItems, next) = PageCursor.Page(items, size, CursorList,
                o => [o.Departure.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), o.Id]);
            return TypedResults.Ok(new OperationPage(pageItems, total, page ?? 1, size, next));
        }, cancellationToken);
    }

    private static async Task<Ok<OperationView>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var view = await OperationAccess.VisibleAsync(grains, id, http.User.ToCaller());
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<OperationView>> ChangeStatusAsync(string id, StatusInput input, HttpContext http, IGrainFactory grains)
    {
        var (operation, expected) = await OperationAccess.ChangeableAsync(grains, id, http);
        var view = await operation.ChangeStatus(http.User.ToCaller(), new StatusChange(input.To, input.Reason, input.OverrideClearance), expected);
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Ok(view);
    }

    private static DateTimeOffset Time(object value) => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));

    private static string Truncate(string value) => value.Length > 16 ? value[..16] + "…" : value;

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Iata();
}
