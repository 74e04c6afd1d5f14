using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Readmission;

public sealed record ReadmissionListItem(string Id, string ReturneeId, string Owner, string Destination, ReadmissionStatus Status, DateTimeOffset ReplyDueBy, bool AcceptedBySilence);

public sealed record ReadmissionList(IReadOnlyList<ReadmissionListItem> Items);

/// <summary>Body of <c>POST /readmission-requests/{id}/reply</c>.</summary>
public sealed record ReadmissionReply(bool Accepted, string? Reason = null);

/// <summary>Readmission requests: a partner sees those addressed to its country, a coordinator those its country sent.</summary>
public static class ReadmissionApi
{
    public const string IdPrefix = "rr-";

    public static IEndpointRouteBuilder MapReadmissionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/readmission-requests", "Readmission requests");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.CountryActor).WithSummary("List the requests the caller's country sent or received");
        group.MapGet("/overdue", OverdueReplies.GetAsync).RequireAuthorization(Policies.OversightAndSecretariat).WithSummary("Count replies destinations owe");
        group.MapPost("/{id}/reply", ReplyAsync).RequireAuthorization(Policies.Partner).WithSummary("Accept or refuse a readmission request");
        group.MapPost("/{id}/extension", ExtendAsync).RequireAuthorization(Policies.Partner).WithSummary("Take the agreement's extension of the reply time");
        return app;
    }

    /// <summary>Added to the contract: the destination asks once for the agreement's extension of its reply deadline.</summary>
    private static async Task<Ok<ReadmissionRequestView>> ExtendAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (caller, request) = await AddressedToCallerAsync(id, http, grains);
        return TypedResults.Ok(await request.RequestExtension(caller));
    }

    private static async Task<Ok<ReadmissionList>> ListAsync(string? status, HttpContext http, GatewayDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.ToCaller();
        var filter = ApiConventions.EnumOrNull<ReadmissionStatus>(status, "status")?.ToString() ?? "";
        var country = caller.CountryOf();
        var (owner, destination) = caller.Role == Roles.Partner ? ("", country) : (country, "");
        var items = await database.RunAsync<IReadOnlyList<ReadmissionListItem>>(async connection =>
        {
            await using var query = GatewayDatabase.Command(connection, ReadModelQueries.ReadmissionPage,
                ("@owner", owner), ("@destination", destination), ("@status", filter), ("@limit", 1000L), ("@offset", 0L));
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var rows = new List<ReadmissionListItem>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ReadmissionListItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    Enum.Parse<ReadmissionStatus>(reader.GetString(4)),
                    DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture)),
                    Convert.ToInt64(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture) != 0));
            }
            return rows;
        }, cancellationToken);
        return TypedResults.Ok(new ReadmissionList(items));
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
