using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Readmission;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Identification;

public sealed record IdentificationListItem(string Id, string ReturneeId, string Owner, string Destination, IdentificationStatus Status, DateTimeOffset DueBy, bool Overdue);

/// <summary>A page of identification requests; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record IdentificationList(IReadOnlyList<IdentificationListItem> Items, string? NextAfter);

/// <summary>
/// A request as the API shows it: the grain's view with the refusal and the document flattened (the served schema describes a
/// nullable nested object or enum as a <c>oneOf</c> that a null does not satisfy).
/// </summary>
public sealed record IdentificationResource(string Id, string ReturneeId, string Owner, string Destination, IdentificationStatus Status,
    DateTimeOffset RequestedAt, DateTimeOffset DueBy, bool Overdue, bool ThroughEmbassy, int Reissues, string? RefusalReason, string? RefusalText,
    string? DocumentKind, string? DocumentNumber, DateOnly? DocumentValidFrom, DateOnly? DocumentValidUntil, DateTimeOffset? DocumentIssuedAt)
{
    public static IdentificationResource From(IdentificationRequestView v) => new(v.Id, v.ReturneeId, v.Owner, v.Destination, v.Status,
        v.RequestedAt, v.DueBy, v.Overdue, v.ThroughEmbassy, v.Reissues, v.RefusalReason?.ToString(), v.RefusalText,
        v.Document?.Kind.ToString(), v.Document?.Number, v.Document?.ValidFrom, v.Document?.ValidUntil, v.Document?.IssuedAt);
}

/// <summary>
/// One request with the person it is about, as far as the destination needs it to identify them (the same as a readmission
/// request shows); <see cref="Person"/> is null once the case was erased.
/// </summary>
public sealed record IdentificationRequestResource(IdentificationResource Request, ReadmissionPerson? Person);

/// <summary>Body of <c>POST /returnees/{id}/identification-requests</c>.</summary>
public sealed record IdentificationRequestInput([property: StringLength(2, MinimumLength = 2)] string Destination);

/// <summary>Body of <c>POST /identification-requests/{id}/refuse</c>: a coded reason and what the owning state needs to know.</summary>
public sealed record IdentificationRefusalInput(IdentificationRefusal Reason, [property: MaxLength(IdentificationRequestGrain.MaxTextLength)] string Text);

/// <summary>Body of <c>POST /identification-requests/{id}/document</c>: the document issued or accepted.</summary>
public sealed record TravelDocumentInput(TravelDocumentKind Kind, [property: MaxLength(IdentificationRequestGrain.MaxNumberLength)] string Number, DateOnly ValidFrom, DateOnly ValidUntil);

/// <summary>
/// Identification requests (rule 17): the owning state's coordinator sends one about its returnee; the destination's partner
/// confirms or refuses identity and nationality and issues or accepts the travel document; the secretariat counts the overdue.
/// </summary>
public static class IdentificationApi
{
    public const string IdPrefix = "ir-";
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string CursorList = "identification-requests";

    public static IEndpointRouteBuilder MapIdentificationApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/returnees", "Returnees").MapPost("/{id}/identification-requests", RequestAsync).RequireAuthorization(Policies.Coordinator)
            .Audited("identification.request").WithSummary("Ask the destination to identify the returnee and issue a travel document")
            .WithDescription("Coordinator of the owning country only. The request follows the destination's identification terms (422 " +
                "`identification` without an agreement or arrangement): the destination confirms or refuses identity and nationality, then issues " +
                "the document, each step within the terms' days. The destination sees only reference, nationality, birth year, sex and whether a " +
                "valid travel document is held.")
            .ProducesLocation();
        var group = app.MapApiGroup("/identification-requests", "Identification requests");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.CountryActor).WithSummary("List the identification requests the caller's country sent or received")
            .WithDescription("Coordinators see the requests their country sent (optionally about one returnee), partners those addressed to their " +
                "country; newest first, filterable by status. No personal data: read one request to see whom it is about.");
        group.MapGet("/overdue", OverdueAsync).RequireAuthorization(Policies.OversightAndSecretariat).WithSummary("Count identification requests past their deadline")
            .WithDescription("Secretariat, FRO and admin. Open requests past the deadline of their step (identity, document or re-issue), per " +
                "destination and owning state. Counts only: no ids, no persons.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.CountryActor).Audited("identification.read").WithSummary("Read an identification request and whom it is about")
            .WithDescription("The owning country's coordinator or the destination's partner; anyone else gets 404. The person is limited to " +
                "reference, nationality, birth year, sex and whether a valid travel document is held, and is null once the case is erased. Audited.");
        group.MapPost("/{id}/confirm", ConfirmAsync).RequireAuthorization(Policies.Partner).Audited("identification.confirm").WithSummary("Confirm identity and nationality")
            .WithDescription("Partner of the destination only (404 for anyone else), while the request awaits identity (409 otherwise). The request " +
                "then awaits the travel document within the terms' issue days, and the owning state is told.");
        group.MapPost("/{id}/refuse", RefuseAsync).RequireAuthorization(Policies.Partner).Audited("identification.refuse").WithSummary("Refuse identity or nationality, with a reason")
            .WithDescription("Partner of the destination only (404 for anyone else), while the request awaits identity (409 otherwise). Needs a " +
                "reason code and a text of at most 1000 characters for the owning state (422 otherwise); the request ends refused.");
        group.MapPost("/{id}/document", IssueDocumentAsync).RequireAuthorization(Policies.Partner).Audited("identification.document")
            .WithSummary("Issue or accept the travel document")
            .WithDescription("Partner of the destination only (404 for anyone else), once identity is confirmed (409 otherwise). The number is " +
                "letters and digits, the document already valid and for at least the terms' minimum months, and a European travel document for " +
                "return only where the terms accept it (422). Its expiry is recorded on the case, where seat eligibility reads it.");
        group.MapPost("/{id}/reissue", ReissueAsync).RequireAuthorization(Policies.Coordinator).Audited("identification.reissue")
            .WithSummary("Ask for a new travel document because the transfer slipped")
            .WithDescription("Coordinator of the owning country only (404 for anyone else), once a document was issued (409 otherwise). The request " +
                "awaits a new document again, due within the terms' re-issue days.");
        return app;
    }

    private static async Task<Created<IdentificationResource>> RequestAsync(string id, IdentificationRequestInput input, HttpContext http, IGrainFactory grains,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var destination = ApiConventions.CountryCode(input.Destination, "destination");
        var owner = http.User.ToCaller().CountryOf();
        var returnee = ApiConventions.IsId(id) ? await grains.GetGrain<IReturneeGrain>(id).Get() : null;
        if (returnee is null || returnee.Owner != owner)
        {
            throw new ResourceNotFoundException();
        }
        var requestId = ApiConventions.NewId(IdPrefix, clock);
        var view = await grains.GetGrain<IIdentificationRequestGrain>(requestId).Submit(new IdentificationSubmission(id, owner, destination));
        return TypedResults.Created($"{ApiConventions.BasePath}/identification-requests/{requestId}", IdentificationResource.From(view));
    }

    /// <summary>Newest first, in pages: a partner's are those addressed to it, a coordinator's those it sent (optionally about one returnee).</summary>
    private static async Task<Ok<IdentificationList>> ListAsync(HttpContext http, GatewayDatabase database, CancellationToken cancellationToken,
        string? status = null, [MaxLength(RequestLimits.MaxIdLength)] string? returnee = null, string? after = null, [Range(1, MaxPageSize)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 1);
        var caller = http.User.ToCaller();
        var filter = ApiConventions.EnumOrNull<IdentificationStatus>(status, "status")?.ToString();
        var byDestination = caller.Role == Roles.Partner;
        // A partner finds requests by id; the returnee filter is the owning state's, for its case view.
        var aboutReturnee = byDestination ? null : returnee;
        var rows = await database.RunAsync(async connection =>
        {
            await using var query = GatewayDatabase.Command(connection, IdentificationSchema.Page(byDestination, filter is not null, aboutReturnee is not null, cursor is not null),
                (byDestination ? "@destination" : "@owner", caller.CountryOf()), ("@status", filter), ("@returnee", aboutReturnee),
                ("@after_id", cursor?.Id(0)), ("@limit", (long)size + 1));
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var items = new List<IdentificationListItem>();
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new IdentificationListItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    Enum.Parse<IdentificationStatus>(reader.GetString(4)), DateTimeOffset.FromUnixTimeMilliseconds(Long(reader.GetValue(5))),
                    Long(reader.GetValue(6)) != 0));
            }
            return items;
        }, cancellationToken);
        var (page, next) = PageCursor.Page(rows, size, CursorList, r => [r.Id]);
        return TypedResults.Ok(new IdentificationList(page, next));
    }

    /// <summary>The destination's partner or the owning state's coordinator reads one request and whom it is about.</summary>
    private static async Task<Ok<IdentificationRequestResource>> GetAsync(string id, HttpContext http, IGrainFactory grains,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var caller = http.User.ToCaller();
        var view = ApiConventions.IsId(id) ? await grains.GetGrain<IIdentificationRequestGrain>(id).Get() : null;
        var country = caller.CountryOf();
        if (view is null || (caller.Role == Roles.Partner ? view.Destination != country : view.Owner != country))
        {
            throw new ResourceNotFoundException();
        }
        var person = await ReadmissionPerson.ReadAsync(grains, view.ReturneeId, clock);
        return TypedResults.Ok(new IdentificationRequestResource(IdentificationResource.From(view), person));
    }

    private static async Task<Ok<IdentificationResource>> ConfirmAsync(string id, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(IdentificationResource.From(await Request(id, grains).Confirm(http.User.ToCaller())));

    private static async Task<Ok<IdentificationResource>> RefuseAsync(string id, IdentificationRefusalInput input, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(IdentificationResource.From(await Request(id, grains).Refuse(http.User.ToCaller(), input.Reason, input.Text)));

    private static async Task<Ok<IdentificationResource>> IssueDocumentAsync(string id, TravelDocumentInput input, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(IdentificationResource.From(await Request(id, grains).IssueDocument(http.User.ToCaller(), input.Kind, input.Number, input.ValidFrom, input.ValidUntil)));

    private static async Task<Ok<IdentificationResource>> ReissueAsync(string id, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(IdentificationResource.From(await Request(id, grains).RequestReissue(http.User.ToCaller())));

    /// <summary>The grain decides who may act on it: for anyone else the request does not exist (404).</summary>
    private static IIdentificationRequestGrain Request(string id, IGrainFactory grains) =>
        ApiConventions.IsId(id) ? grains.GetGrain<IIdentificationRequestGrain>(id) : throw new ResourceNotFoundException();

    private static Task<Ok<OverdueIdentifications>> OverdueAsync(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
        CancellationToken cancellationToken) => OverdueIdentificationCounts.GetAsync(database, clock, cancellationToken);

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
