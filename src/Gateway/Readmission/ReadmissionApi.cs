using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Readmission;

public sealed record ReadmissionListItem(string Id, string ReturneeId, string Owner, string Destination, ReadmissionStatus Status, DateTimeOffset ReplyDueBy, bool AcceptedBySilence);

/// <summary>A page of readmission requests; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record ReadmissionList(IReadOnlyList<ReadmissionListItem> Items, string? NextAfter);

/// <summary>
/// Whom a request is about, as far as the destination needs it to identify the person: the owning state's case reference
/// (to answer it by), the nationality claimed, year of birth, sex and whether a valid travel document is held. No more.
/// </summary>
public sealed record ReadmissionPerson(string Reference, string Nationality, int BirthYear, string Sex, bool TravelDocument)
{
    /// <summary>
    /// Whom a request to a destination (readmission, identification) is about, as the destination may see it: no more than
    /// reference, nationality, birth year, sex and whether a valid document is held today; null once the case is erased.
    /// </summary>
    public static async Task<ReadmissionPerson?> ReadAsync(IGrainFactory grains, string returneeId, TimeProvider clock)
    {
        var returnee = await grains.GetGrain<IReturneeGrain>(returneeId).Get();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return returnee?.Case is { } c
            ? new ReadmissionPerson(c.Reference, c.Nationality, c.BirthYear, c.Sex, c.TravelDocumentValidUntil is { } valid && valid >= today)
            : null;
    }
}

/// <summary>One request with the person it is about (<see cref="Person"/> is null once the case was erased).</summary>
public sealed record ReadmissionRequestResource(ReadmissionRequestView Request, ReadmissionPerson? Person);

/// <summary>Body of <c>POST /readmission-requests/{id}/reply</c>.</summary>
public sealed record ReadmissionReply(bool Accepted, [property: MaxLength(RequestLimits.MaxText)] string? Reason = null);

/// <summary>Readmission requests: a partner sees those addressed to its country, a coordinator those its country sent.</summary>
public static class ReadmissionApi
{
    public const string IdPrefix = "rr-";

    public static IEndpointRouteBuilder MapReadmissionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/readmission-requests", "Readmission requests");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.CountryActor).WithSummary("List the requests the caller's country sent or received")
            .WithDescription("Coordinators see the requests their country sent, partners those addressed to their country; newest first, filterable " +
                "by status. Ids, countries, status and deadlines only: read one request to see whom it is about.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.CountryActor).Audited("readmission.read").WithSummary("Read a request and whom it is about")
            .WithDescription("The owning country's coordinator or the destination's partner; anyone else gets 404. The person is limited to " +
                "reference, nationality, birth year, sex and whether a valid travel document is held, and is null once the case is erased. Audited.");
        group.MapGet("/overdue", OverdueReplies.GetAsync).RequireAuthorization(Policies.OversightAndSecretariat).WithSummary("Count replies destinations owe")
            .WithDescription("Secretariat, FRO and admin. Per destination and waiting state: requests pending past their deadline and lapsed ones " +
                "(no reply where silence is not acceptance), with the oldest deadline. Counts only: no ids, no persons.");
        group.MapPost("/{id}/reply", ReplyAsync).RequireAuthorization(Policies.Partner).WithSummary("Accept or refuse a readmission request")
            .WithDescription("Partner of the destination only (404 for anyone else). A refusal needs a reason (422); a request already answered, " +
                "accepted by silence or lapsed is 409. An acceptance starts the agreement's transfer time (`transferBy`).");
        group.MapPost("/{id}/extension", ExtendAsync).RequireAuthorization(Policies.Partner).WithSummary("Take the agreement's extension of the reply time")
            .WithDescription("Partner of the destination only (404 for anyone else), while the request is pending (409 after). Moves the reply " +
                "deadline by the agreement's extension, once; 422 `readmission` when the agreement grants none or it was taken already.");
        return app;
    }

    /// <summary>Added to the contract: the destination asks once for the agreement's extension of its reply deadline.</summary>
    private static async Task<Ok<ReadmissionRequestView>> ExtendAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (caller, request) = await AddressedToCallerAsync(id, http, grains);
        return TypedResults.Ok(await request.RequestExtension(caller));
    }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string CursorList = "readmission-requests";

    /// <summary>Newest first, in pages (<see cref="PageCursor"/>): a partner's are those addressed to it, a coordinator's those it sent.</summary>
    private static async Task<Ok<ReadmissionList>> ListAsync(HttpContext http, GatewayDatabase database, CancellationToken cancellationToken,
        string? status = null, string? after = null, [Range(1, MaxPageSize)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 1);
        var caller = http.User.ToCaller();
        var filter = ApiConventions.EnumOrNull<ReadmissionStatus>(status, "status")?.ToString();
        var country = caller.CountryOf();
        var byDestination = caller.Role == Roles.Partner;
        var rows = await database.RunAsync(async connection =>
        {
            await using var query = GatewayDatabase.Command(connection, ReadModelLists.ReadmissionPage(byDestination, filter is not null, cursor is not null),
                (byDestination ? "@destination" : "@owner", country), ("@status", filter), ("@after_id", cursor?.Id(0)), ("@limit", (long)size + 1));
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var items = new List<ReadmissionListItem>();
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new ReadmissionListItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    Enum.Parse<ReadmissionStatus>(reader.GetString(4)),
                    DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture)),
                    Convert.ToInt64(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture) != 0));
            }
            return items;
        }, cancellationToken);
        var (page, next) = PageCursor.Page(rows, size, CursorList, r => [r.Id]);
        return TypedResults.Ok(new ReadmissionList(page, next));
    }

    /// <summary>Added to the contract: the destination's partner or the owning state's coordinator reads one request and whom it is about.</summary>
    private static async Task<Ok<ReadmissionRequestResource>> GetAsync(string id, HttpContext http, IGrainFactory grains, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var caller = http.User.ToCaller();
        var view = ApiConventions.IsId(id) ? await grains.GetGrain<IReadmissionRequestGrain>(id).Get() : null;
        var country = caller.CountryOf();
        if (view is null || (caller.Role == Roles.Partner ? view.Destination != country : view.Owner != country))
        {
            throw new ResourceNotFoundException();
        }
        var person = await ReadmissionPerson.ReadAsync(grains, view.ReturneeId, clock);
        return TypedResults.Ok(new ReadmissionRequestResource(view, person));
    }

    private static async Task<Ok<ReadmissionRequestView>> ReplyAsync(string id, ReadmissionReply reply, HttpContext http, IGrainFactory grains)
    {
        var (caller, request) = await AddressedToCallerAsync(id, http, grains);
        return TypedResults.Ok(await request.Reply(caller, reply.Accepted, reply.Reason));
    }

    /// <summary>The request if it is addressed to the caller's country; for any other caller it does not exist.</summary>
    private static async Task<(Caller Caller, IReadmissionRequestGrain Request)> AddressedToCallerAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var caller = http.User.ToCaller();
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        var request = grains.GetGrain<IReadmissionRequestGrain>(id);
        var view = await request.Get();
        return view is not null && view.Destination == caller.Country ? (caller, request) : throw new ResourceNotFoundException();
    }
}
