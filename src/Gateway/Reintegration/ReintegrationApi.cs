using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Reintegration;

/// <summary>
/// Reintegration referrals (rule 18): a provider sees the referrals addressed to it and records their steps; the owning state's
/// coordinator follows them. For anyone else a referral does not exist (404); other roles may not ask (403).
/// </summary>
public static class ReintegrationApi
{
    public const string IdPrefix = "ri-";
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string CursorList = "reintegration-referrals";

    public static IEndpointRouteBuilder MapReintegrationApi(this IEndpointRouteBuilder app)
    {
        var referrals = app.MapApiGroup("/reintegration-referrals", "Reintegration");
        referrals.MapGet("/", ListAsync).RequireAuthorization(Policies.CoordinatorOrProvider).Audited("reintegration.list")
            .WithSummary("List the referrals the caller's state made or the caller's provider received")
            .WithDescription("Coordinators see their state's referrals, providers those addressed to them; newest first, filterable by status, with " +
                "the state of the 6- and 12-month follow-ups. Audited.");
        referrals.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.CoordinatorOrProvider).Audited("reintegration.referral.read")
            .WithSummary("Read a referral and, while consent holds, whom it is about")
            .WithDescription("The referring state's coordinator or the provider it is addressed to; anyone else gets 404. The person (nationality, " +
                "birth year, sex, voluntary return, vulnerabilities) is null once consent is withdrawn, the referral closed or the case erased. Audited.");
        referrals.MapPost("/{id}/steps", RecordAsync).RequireAuthorization(Policies.Provider).Audited("reintegration.step")
            .WithSummary("Record a step: accept, decline, reception, plan, assistance or follow-up")
            .WithDescription("The provider the referral is addressed to only (404 for anyone else). Steps go referral, accepted or declined, " +
                "reception, plan, assistance (repeatable), follow-ups at 6 and 12 months: a step out of order or on a closed referral is 409 " +
                "`invalid-transition`, a malformed one 422 (amounts in euros, cents at most).");
        var providers = app.MapApiGroup("/reintegration-providers", "Reintegration");
        providers.MapGet("/", ProvidersAsync).WithSummary("List the reintegration service providers")
            .WithDescription("Every signed-in role but a reintegration provider. Each provider's id, the destination it serves and its name, by country and id.");
        providers.MapPut("/{id}", PutProviderAsync).RequireAuthorization(Policies.Admin).WithSummary("Add or change a reintegration service provider")
            .WithDescription("Admin only. The id (lower-case letters, digits and dashes) is what the provider's tokens carry in their `provider` " +
                "claim; the provider sees only the referrals addressed to it. Putting an existing id replaces its country and name.");
        return app;
    }

    /// <summary>Newest first, in pages (<see cref="PageCursor"/>): a provider's are those addressed to it, a coordinator's those its state made.</summary>
    private static async Task<Ok<ReferralList>> ListAsync(HttpContext http, GatewayDatabase database, CancellationToken cancellationToken,
        string? status = null, string? after = null, [Range(1, MaxPageSize)] int? limit = null)
    {
        var size = PageCursor.Limit(limit, DefaultPageSize, MaxPageSize);
        var cursor = PageCursor.Decode(after, CursorList, 1);
        var caller = http.User.ToCaller();
        var filter = ApiConventions.EnumOrNull<ReferralStatus>(status, "status")?.ToString();
        var byProvider = caller.Role == Roles.Provider;
        var rows = await database.RunAsync(async connection =>
        {
            await using var query = GatewayDatabase.Command(connection, ReintegrationSchema.Page(byProvider, filter is not null, cursor is not null),
                byProvider ? ("@provider", caller.ProviderOf()) : ("@owner", caller.CountryOf()), ("@status", filter), ("@after_id", cursor?.Id(0)),
                ("@limit", (long)size + 1));
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var items = new List<ReferralListItem>();
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new ReferralListItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    Enum.Parse<ReferralStatus>(reader.GetString(5)),
                    DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture)),
                    FollowUp(reader.GetString(7)), FollowUp(reader.GetString(8))));
            }
            return items;
        }, cancellationToken);
        var (page, next) = PageCursor.Page(rows, size, CursorList, r => [r.Id]);
        return TypedResults.Ok(new ReferralList(page, next));
    }

    private static async Task<Ok<ReferralResource>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var referral = await VisibleAsync(id, http.User.ToCaller(), grains);
        return TypedResults.Ok(await ResourceAsync(referral, grains));
    }

    private static async Task<Ok<ReferralResource>> RecordAsync(string id, ReferralStepBody step, HttpContext http, IGrainFactory grains)
    {
        var caller = http.User.ToCaller();
        await VisibleAsync(id, caller, grains);
        var referral = await grains.GetGrain<IReintegrationReferralGrain>(id).Record(caller, step.ToInput());
        return TypedResults.Ok(await ResourceAsync(referral, grains));
    }

    private static async Task<Ok<ProviderList>> ProvidersAsync(IGrainFactory grains) =>
        TypedResults.Ok(new ProviderList(await grains.GetGrain<IReintegrationProvidersGrain>(IReintegrationProvidersGrain.Key).List()));

    private static async Task<Ok<ReintegrationProvider>> PutProviderAsync(string id, ProviderInput input, IGrainFactory grains)
    {
        var country = ApiConventions.CountryCode(input.Country, "country");
        if (!ReintegrationProvidersGrain.IsProviderId(id))
        {
            throw new DomainRuleException(RuleCode.Validation, "A provider id is lower-case letters, digits and dashes, at most 80.");
        }
        return TypedResults.Ok(await grains.GetGrain<IReintegrationProvidersGrain>(IReintegrationProvidersGrain.Key)
            .Put(new ReintegrationProvider(id, country, input.Name.Trim())));
    }

    /// <summary>
    /// The person as far as the referral needs it, asked of the case each time: the case answers null once consent was
    /// withdrawn or the data erased, so nothing cached here can outlive a withdrawal.
    /// </summary>
    private static async Task<ReferralResource> ResourceAsync(ReferralView referral, IGrainFactory grains)
    {
        var person = await grains.GetGrain<IReturneeGrain>(referral.ReturneeId).SharedWith(referral.Id);
        var provider = await grains.GetGrain<IReintegrationProvidersGrain>(IReintegrationProvidersGrain.Key).Get(referral.ProviderId);
        return new ReferralResource(referral, provider, person);
    }

    /// <summary>The referral if it is addressed to the caller's provider or made by the caller's state; otherwise it does not exist.</summary>
    private static async Task<ReferralView> VisibleAsync(string id, Caller caller, IGrainFactory grains)
    {
        var referral = ApiConventions.IsId(id) ? await grains.GetGrain<IReintegrationReferralGrain>(id).Get() : null;
        var visible = referral is not null && (caller.Role == Roles.Provider ? referral.ProviderId == caller.Provider : referral.Owner == caller.Country);
        return visible ? referral! : throw new ResourceNotFoundException();
    }

    private static FollowUpState? FollowUp(string value) => value.Length == 0 ? null : Enum.Parse<FollowUpState>(value);
}
