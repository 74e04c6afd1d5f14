using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Gateway.Problems;
using ReturnOps.Gateway.Readmission;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Returnees;

/// <summary>
/// Returnee cases: personal data, so every call is audited and only the owning country's coordinators
/// see a case; for anyone else it does not exist (404).
/// </summary>
public static class ReturneesApi
{
    public const string IdPrefix = "rt-";

    public static IEndpointRouteBuilder MapReturneesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/returnees", "Returnees").RequireAuthorization(Policies.Coordinator);
        group.MapPost("/", CreateAsync).Audited("returnee.create").WithSummary("Register a case")
            .WithDescription("Coordinator only: the case belongs to the caller's country and no other country sees it. The case is checked whole " +
                "(422 `validation` naming every problem). Audited, as every call on a case: it is personal data.")
            .ProducesETag().ProducesLocation();
        group.MapPost("/import", ImportAsync).Audited("returnee.import").WithSummary("Register many cases from one CSV file, all or nothing")
            .WithDescription("Coordinator only. The file's text goes in `csv`: a header naming the fields of `POST /returnees`, at most 500 cases. " +
                "Every line is checked before any case is stored, and a file with a broken line is refused whole (422, one violation per line " +
                "number); the cases' ids follow from the Idempotency-Key and the line, so a retry with the same key never stores a second copy.")
            .ProducesLocation();
        group.MapGet("/", ListAsync).Audited("returnee.list").WithSummary("List the country's cases (ids and status)")
            .WithDescription("Coordinator only: the caller's country's cases, newest first, each with its status and the operation it is booked on; " +
                "no personal data. Erased cases only with `includeErased=true` or `status=Erased`. Audited.");
        group.MapGet("/{id}", GetAsync).Audited("returnee.read").WithSummary("Read a case")
            .WithDescription("Coordinator of the owning country only: for anyone else the case does not exist (404). The ETag is for If-Match on a " +
                "change. Audited.")
            .ProducesETag();
        group.MapPatch("/{id}", PatchAsync).Audited("returnee.update").WithSummary("Change a case (JSON merge patch)")
            .WithDescription("Coordinator of the owning country only. A JSON merge patch (RFC 7396, `null` removes a field), and the merged case is " +
                "checked as strictly as a new one (422); If-Match with the case's ETag refuses to overwrite a change made since (412). A change " +
                "that makes a booked returnee ineligible suspends its seat on the operation (early warning).")
            .Accepts<JsonObject>("application/merge-patch+json", "application/json").ProducesETag().AcceptsIfMatch();
        group.MapDelete("/{id}", EraseAsync).Audited("returnee.erase").WithSummary("Erase a case's personal data")
            .WithDescription("Coordinator of the owning country only. Erases the case, withdraws its open identification requests and removes the " +
                "texts of its referrals; counts stay for statistics. 409 while a booking holds the returnee (cancel it first); a retried request " +
                "whose stored answer named the case is then answered 410 `erased`.")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id}/readmission-requests", RequestReadmissionAsync).Audited("readmission.request")
            .WithSummary("Ask a destination to readmit the returnee")
            .WithDescription("Coordinator of the owning country only. The destination must reply within the agreement's reply time (`replyDueBy`); " +
                "422 `readmission` when there is no agreement with it. The destination sees only reference, nationality, birth year, sex and " +
                "whether a valid travel document is held.")
            .ProducesLocation();
        return app;
    }

    private static async Task<Created<ReturneeResource>> CreateAsync(ReturneeInput input, HttpContext http, IGrainFactory grains, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var owner = http.User.ToCaller().CountryOf();
        var id = ApiConventions.NewId(IdPrefix, clock);
        input.Validate();
        var view = await grains.GetGrain<IReturneeGrain>(id).Register(owner, input.ToCase());
        var resource = ReturneeResource.From(view);
        http.Response.Headers.ETag = ETags.FromContent(resource);
        return TypedResults.Created($"{ApiConventions.BasePath}/returnees/{id}", resource);
    }

    /// <summary>
    /// Many cases from one CSV file, all or nothing: every line is checked before any case is stored, and a file with a
    /// broken line is refused whole (422, one violation per line). Each case's id follows from the caller, the
    /// Idempotency-Key and the line, and registering the same case under the same id again changes nothing, so a retry
    /// after a failure part-way (a 503) stores the rest of the same file instead of a second copy of its first part.
    /// </summary>
    private static async Task<Created<ReturneeImported>> ImportAsync(ReturneeImportInput input, HttpContext http, IGrainFactory grains)
    {
        var owner = http.User.ToCaller().CountryOf();
        var rows = ReturneeCsv.Parse(input.Csv);
        var broken = rows.Where(r => r.Case is null).ToList();
        if (broken.Count > 0)
        {
            throw new DomainRuleException([.. broken.Select(r => new RuleViolation(RuleCode.Validation, $"Line {r.Line}: {string.Join("; ", r.Problems)}."))]);
        }
        var caller = http.User.IdentityKey();
        var key = http.Request.Headers[IdempotencyMiddleware.KeyHeader].ToString();
        var imported = new List<ReturneeResource>();
        foreach (var row in rows)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', "returnee-import", caller, key, row.Line)));
            var id = IdPrefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
            imported.Add(ReturneeResource.From(await grains.GetGrain<IReturneeGrain>(id).Register(owner, row.Case!.ToCase())));
        }
        return TypedResults.Created($"{ApiConventions.BasePath}/returnees", new ReturneeImported(imported.Count, imported));
    }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string CursorList = "returnees";

    /// <summary>
    /// The owner's cases, newest first, in pages (<see cref="PageCursor"/>); erased cases only with <c>includeErased=true</c> or
    /// <c>status=Erased</c>. Filters: status, nationality, operation and a prefix of the owner's own case reference.
    /// </summary>
    private static async Task<Ok<ReturneeList>> ListAsync(HttpContext http, GatewayDatabase database, CancellationToken cancellationToken,
        string? status = null, [MaxLength(2)] string? nationality = null, [MaxLength(RequestLimits.MaxIdLength)] string? operation = null,
        [MaxLength(ReturneeInput.MaxText)] string? reference = null, bool includeErased = false,
        string? after = null, [Range(1, MaxPageSize)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 1);
        var filter = new ReturneeListFilter(
            http.User.ToCaller().CountryOf(),
            ApiConventions.EnumOrNull<ReturneeStatus>(status, "status")?.ToString(),
            includeErased,
            string.IsNullOrEmpty(nationality) ? null : ApiConventions.CountryCode(nationality, "nationality"),
            string.IsNullOrEmpty(operation) ? null : ApiConventions.IsId(operation) ? operation : throw RequestProblemException.BadRequest("operation must be an operation id."),
            string.IsNullOrEmpty(reference) ? null : reference.Length <= 200 && !reference.Any(char.IsControl) ? reference
                : throw RequestProblemException.BadRequest("reference is at most 200 characters without control characters."));
        var rows = await database.RunAsync(async connection =>
        {
            await using var query = GatewayDatabase.Command(connection, ReadModelLists.ReturneePage(filter, cursor is not null),
                ("@owner", filter.Owner), ("@status", filter.Status), ("@nationality", filter.Nationality), ("@operation", filter.OperationId),
                ("@reference_from", filter.ReferencePrefix), ("@reference_to", filter.ReferencePrefix is { } p ? ReadModelLists.PrefixEnd(p) : null),
                ("@after_id", cursor?.Id(0)), ("@limit", (long)size + 1));
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var items = new List<ReturneeListItem>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var operationId = reader.GetString(2);
                items.Add(new ReturneeListItem(reader.GetString(0), Enum.Parse<ReturneeStatus>(reader.GetString(1)), operationId.Length > 0 ? operationId : null));
            }
            return items;
        }, cancellationToken);
        var (page, next) = PageCursor.Page(rows, size, CursorList, r => [r.Id]);
        return TypedResults.Ok(new ReturneeList(page, next));
    }

    private static async Task<Ok<ReturneeResource>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var resource = ReturneeResource.From(await OwnedAsync(id, http, grains));
        http.Response.Headers.ETag = ETags.FromContent(resource);
        return TypedResults.Ok(resource);
    }

    /// <summary>JSON merge patch (RFC 7396) over the case; the merged case is validated as strictly as a new one.</summary>
    private static async Task<Ok<ReturneeResource>> PatchAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var request = http.Request;
        if (request.ContentType is not { } type || !(type.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new RequestProblemException(StatusCodes.Status415UnsupportedMediaType, "A patch is sent as application/merge-patch+json or application/json.");
        }
        var patch = await ReadPatchAsync(request, http.RequestAborted);
        var current = await OwnedAsync(id, http, grains);
        ETags.CheckIfMatch(request, ETags.FromContent(ReturneeResource.From(current)));
        var caseNow = current.Case ?? throw new ResourceNotFoundException("The returnee's data was erased.");
        var input = Merge(caseNow, patch);
        input.Validate();
        var update = await grains.UpdateReturneeAsync(id, current.Owner, input.ToCase());
        var resource = ReturneeResource.From(update.View);
        http.Response.Headers.ETag = ETags.FromContent(resource);
        return TypedResults.Ok(resource);
    }

    private static async Task<NoContent> EraseAsync(string id, HttpContext http, IGrainFactory grains, IdempotencyStore replays)
    {
        await OwnedAsync(id, http, grains);
        await grains.EraseReturneeAsync(id);
        await replays.ErasedFromResponsesAsync(id, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Created<ReadmissionCreated>> RequestReadmissionAsync(
        string id, ReadmissionRequestInput input, HttpContext http, IGrainFactory grains, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var destination = ApiConventions.CountryCode(input.Destination, "destination");
        var returnee = await OwnedAsync(id, http, grains);
        var requestId = ApiConventions.NewId(ReadmissionApi.IdPrefix, clock);
        var view = await grains.GetGrain<IReadmissionRequestGrain>(requestId).Submit(new ReadmissionSubmission(id, returnee.Owner, destination));
        return TypedResults.Created($"{ApiConventions.BasePath}/readmission-requests/{requestId}",
            new ReadmissionCreated(view.Id, view.Status.ToString(), view.ReplyDueBy));
    }

    /// <summary>The case if the caller's country owns it; otherwise it does not exist for the caller.</summary>
    private static async Task<ReturneeView> OwnedAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var country = http.User.ToCaller().CountryOf();
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        var view = await grains.GetGrain<IReturneeGrain>(id).Get();
        return view is not null && view.Owner == country ? view : throw new ResourceNotFoundException();
    }

    /// <summary>The patch as a JSON object; duplicate members are malformed, as in every other body.</summary>
    private static async Task<JsonObject> ReadPatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(request.Body,
            new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false }, cancellationToken);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? JsonObject.Create(document.RootElement.Clone())!
            : throw RequestProblemException.BadRequest("A merge patch is a JSON object.");
    }

    /// <summary>Applies the patch to the case and reads the result as strictly as a new case.</summary>
    private static ReturneeInput Merge(ReturneeCase current, JsonObject patch)
    {
        var merged = JsonSerializer.SerializeToNode(ReturneeInput.From(current), GatewayJson.Options)!.AsObject();
        try
        {
            MergePatch(merged, patch);
            return merged.Deserialize<ReturneeInput>(GatewayJson.Options) ?? throw RequestProblemException.BadRequest("The patched case is empty.");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Text JSON accepts but .NET strings cannot hold, e.g. a lone surrogate escape.
            throw RequestProblemException.BadRequest("The patch contains text that is not valid Unicode.");
        }
    }

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject child && target[name] is JsonObject existing)
            {
                MergePatch(existing, child);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
