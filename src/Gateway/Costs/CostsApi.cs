using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Gateway.Operations;
using ReturnOps.Grains.Costs;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Costs;

/// <summary>
/// Rule 19: an operation's costs and co-financing (the organiser records and corrects them until the operation ends) and the
/// cost statement per state (JSON, or CSV on <c>Accept: text/csv</c>). The record's ETag is its own version, not the operation's.
/// </summary>
public static class CostsApi
{
    public const string CostLinePrefix = "cl-";
    public const string CoFinancingPrefix = "cf-";

    public static IEndpointRouteBuilder MapCostsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/operations", "Costs");
        group.MapGet("/{id}/costs", GetAsync).RequireAuthorization(Policies.Staffing)
            .WithSummary("Read an operation's costs and co-financing (organiser, secretariat)")
            .WithDescription("The organiser's coordinator and the secretariat; other coordinators get 403 and read their cost statement instead. " +
                "The cost lines and co-financing with their totals; the ETag is the cost record's own version, not the operation's, for If-Match on changes.")
            .ProducesETag();
        group.MapPost("/{id}/costs", RecordCostAsync).RequireAuthorization(Policies.Coordinator).Audited("costs.record")
            .WithSummary("Record a cost line (organiser)")
            .WithDescription("Organiser's coordinator only, until the operation is completed or cancelled (409 `costs-final`). Amounts in euros, " +
                "cents at most, and a charter leg with two different IATA codes (422). The line id follows from the Idempotency-Key, so a retry records it once.")
            .ProducesETag().ProducesLocation().AcceptsIfMatch();
        group.MapPut("/{id}/costs/{lineId}", CorrectCostAsync).RequireAuthorization(Policies.Coordinator).Audited("costs.correct")
            .WithSummary("Correct a cost line (organiser)")
            .WithDescription("Organiser's coordinator only, until the operation ends (409 `costs-final`). Replaces the line whole, checked as a new " +
                "one (422); an unknown line is 404. If-Match takes the cost record's ETag (412 when it moved).")
            .ProducesETag().AcceptsIfMatch().ProducesProblems(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}/costs/{lineId}", RemoveCostAsync).RequireAuthorization(Policies.Coordinator).Audited("costs.remove")
            .WithSummary("Remove a cost line (organiser)")
            .WithDescription("Organiser's coordinator only, until the operation ends (409 `costs-final`); an unknown line is 404. 422 " +
                "`co-financing-beyond-costs` when co-financing would then exceed the costs.")
            .ProducesETag().AcceptsIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id}/co-financing", RecordCoFinancingAsync).RequireAuthorization(Policies.Coordinator).Audited("co-financing.record")
            .WithSummary("Record co-financing (organiser)")
            .WithDescription("Organiser's coordinator only, until the operation ends (409 `costs-final`). A source (e.g. Frontex) and an amount in " +
                "euros; co-financing may not exceed the costs (422 `co-financing-beyond-costs`). The line id follows from the Idempotency-Key, so a " +
                "retry records it once.")
            .ProducesETag().ProducesLocation().AcceptsIfMatch();
        group.MapPut("/{id}/co-financing/{lineId}", CorrectCoFinancingAsync).RequireAuthorization(Policies.Coordinator).Audited("co-financing.correct")
            .WithSummary("Correct co-financing (organiser)")
            .WithDescription("Organiser's coordinator only, until the operation ends (409 `costs-final`). Replaces the line whole; co-financing may " +
                "not exceed the costs (422), and an unknown line is 404. If-Match takes the cost record's ETag (412 when it moved).")
            .ProducesETag().AcceptsIfMatch().ProducesProblems(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}/co-financing/{lineId}", RemoveCoFinancingAsync).RequireAuthorization(Policies.Coordinator).Audited("co-financing.remove")
            .WithSummary("Remove co-financing (organiser)")
            .WithDescription("Organiser's coordinator only, until the operation ends (409 `costs-final`); an unknown line is 404. Answers the cost " +
                "record as it stands after the removal.")
            .ProducesETag().AcceptsIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id}/costs/statement", StatementAsync).RequireAuthorization(Policies.Staffing)
            .WithSummary("Read the cost statement: the caller's state's share, or every state's for the secretariat")
            .WithDescription("JSON, or CSV with `Accept: text/csv`. A coordinator reads its own state's statement; another state's, or one of a " +
                "state without a share, is 404 (not visible, as another state's returnees are). Shares add up to the net cost to the cent.")
            .ProducesETag().ProducesCsvAlternative();
        return app;
    }

    private static async Task<Ok<CostsView>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        return Tagged(http, await grains.GetGrain<IOperationCostsGrain>(id).GetCosts(caller));
    }

    private static async Task<Created<CostsView>> RecordCostAsync(string id, CostLineInput input, HttpContext http, IGrainFactory grains)
    {
        var (costs, expected) = await ChangeableAsync(grains, id, http);
        var view = await costs.RecordCost(http.User.ToCaller(), LineId(CostLinePrefix, id, http), Entry(input), expected);
        Tagged(http, view);
        return TypedResults.Created($"{ApiConventions.BasePath}/operations/{id}/costs", view);
    }

    private static async Task<Ok<CostsView>> CorrectCostAsync(string id, string lineId, CostLineInput input, HttpContext http, IGrainFactory grains)
    {
        var (costs, expected) = await ChangeableAsync(grains, id, http, Line(lineId, CostLinePrefix));
        return Tagged(http, await costs.CorrectCost(http.User.ToCaller(), lineId, Entry(input), expected));
    }

    private static async Task<Ok<CostsView>> RemoveCostAsync(string id, string lineId, HttpContext http, IGrainFactory grains)
    {
        var (costs, expected) = await ChangeableAsync(grains, id, http, Line(lineId, CostLinePrefix));
        return Tagged(http, await costs.RemoveLine(http.User.ToCaller(), lineId, expected));
    }

    private static async Task<Created<CostsView>> RecordCoFinancingAsync(string id, CoFinancingInput input, HttpContext http, IGrainFactory grains)
    {
        var (costs, expected) = await ChangeableAsync(grains, id, http);
        var view = await costs.RecordCoFinancing(http.User.ToCaller(), LineId(CoFinancingPrefix, id, http), Entry(input), expected);
        Tagged(http, view);
        return TypedResults.Created($"{ApiConventions.BasePath}/operations/{id}/costs", view);
    }

    private static async Task<Ok<CostsView>> CorrectCoFinancingAsync(string id, string lineId, CoFinancingInput input, HttpContext http, IGrainFactory grains)
    {
        var (costs, expected) = await ChangeableAsync(grains, id, http, Line(lineId, CoFinancingPrefix));
        return Tagged(http, await costs.CorrectCoFinancing(http.User.ToCaller(), lineId, Entry(input), expected));
    }

    private static async Task<Ok<CostsView>> RemoveCoFinancingAsync(string id, string lineId, HttpContext http, IGrainFactory grains)
    {
        var (costs, expected) = await ChangeableAsync(grains, id, http, Line(lineId, CoFinancingPrefix));
        return Tagged(http, await costs.RemoveLine(http.User.ToCaller(), lineId, expected));
    }

    private static async Task<Results<Ok<CostStatement>, ContentHttpResult>> StatementAsync(string id, HttpContext http, IGrainFactory grains,
        [Description("Secretariat: one state's statement instead of all; a coordinator may name only its own state.")] [MaxLength(2)] string? country = null)
    {
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        var statement = await grains.GetGrain<IOperationCostsGrain>(id)
            .GetStatement(caller, country is { Length: > 0 } ? ApiConventions.CountryCode(country, "country") : null);
        http.Response.Headers.ETag = ETags.FromContent(statement);
        if (!ApiConventions.WantsCsv(http.Request))
        {
            return TypedResults.Ok(statement);
        }
        var file = $"cost-statement-{id}{(statement.Shares.Count == 1 ? "-" + statement.Shares[0].Country : "")}.csv";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = file }.ToString();
        return TypedResults.Text(CostStatementCsv.Write(statement), CostStatementCsv.ContentType, Encoding.UTF8);
    }

    /// <summary>
    /// The cost record to change and the version its If-Match names (null: no precondition); the grain checks that version in
    /// its turn. A line id that cannot be one of this kind's is not found, before any grain is asked.
    /// </summary>
    private static async Task<(IOperationCostsGrain Costs, long? ExpectedVersion)> ChangeableAsync(IGrainFactory grains, string id, HttpContext http, bool lineIdValid = true)
    {
        if (!lineIdValid)
        {
            throw new ResourceNotFoundException();
        }
        var caller = http.User.ToCaller();
        await OperationAccess.VisibleAsync(grains, id, caller);
        var costs = grains.GetGrain<IOperationCostsGrain>(id);
        var read = http.Request.Headers.IfMatch.Count > 0 ? (await costs.GetCosts(caller)).Version : 0;
        return (costs, http.Request.Headers.IfMatch.Count > 0 ? ETags.ExpectedVersion(http.Request, read) : null);
    }

    private static bool Line(string lineId, string prefix) => lineId.StartsWith(prefix, StringComparison.Ordinal) && ApiConventions.IsId(lineId);

    /// <summary>
    /// A new line's id follows from the operation, the caller and its Idempotency-Key (as a booking's does): every attempt of one
    /// request names the same line, so a retry after a lost answer records it once.
    /// </summary>
    private static string LineId(string prefix, string operationId, HttpContext http)
    {
        var key = http.Request.Headers[IdempotencyMiddleware.KeyHeader].ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', operationId, http.User.IdentityKey(), key)));
        return prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static CostLineEntry Entry(CostLineInput input) => new(input.Category, input.Amount, input.Description ?? "", input.From, input.To);

    private static CoFinancingEntry Entry(CoFinancingInput input) => new(input.Source ?? "", input.Amount, input.Description);

    private static Ok<CostsView> Tagged(HttpContext http, CostsView view)
    {
        http.Response.Headers.ETag = ETags.FromVersion(view.Version);
        return TypedResults.Ok(view);
    }
}
