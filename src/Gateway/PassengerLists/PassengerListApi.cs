using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Operations;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.PassengerLists;

/// <summary>
/// Advance passenger information (Directive 2004/82/EC): the organiser downloads the UN/EDIFACT PAXLST message of one leg of its
/// confirmed operation, for the carrier to send to the border authority before departure. Audited: the answer is personal data.
/// </summary>
public static partial class PassengerListApi
{
    public const int MaxFlightLength = 8;

    public static IEndpointRouteBuilder MapPassengerListApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/operations", "Operations").MapGet("/{id}/manifest/paxlst", PaxlstAsync)
            .RequireAuthorization(Policies.Coordinator).Audited("manifest.paxlst")
            .WithSummary("The UN/EDIFACT PAXLST passenger list of one leg of a confirmed operation (advance passenger information)")
            .WithDescription("The organiser's coordinator only (403 for a participating state's coordinator, 404 for others), while the operation " +
                "is Confirmed or Departed (409 otherwise). `flight` is the leg's IATA flight designator; `leg` the leg's index " +
                "in `legs[]`, needed when there are several. Returnees with sex, year of birth, nationality and the travel document the " +
                "destination issued, and the named staff, all as passengers; no case data. 422 when an airport or a state has no code or zone on file. Answered with `Cache-Control: private, no-store`.")
            .Produces<string>(StatusCodes.Status200OK, PaxlstMessage.ContentType)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<ContentHttpResult> PaxlstAsync(string id, HttpContext http, IGrainFactory grains, IStorageProvider storage,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock, [MaxLength(MaxFlightLength)] string flight,
        [Range(0, OperationInput.MaxLegs - 1)] int? leg = null)
    {
        var designator = Designator(flight);
        var caller = http.User.ToCaller();
        var operation = await OperationAccess.VisibleAsync(grains, id, caller);
        // As for the manifest (rule 16): a participating state knows there is one and is refused; any other learns nothing.
        if (!caller.IsCoordinatorOf(operation.Organiser))
        {
            throw operation.Participants.Any(p => p.Country == caller.Country)
                ? new AccessDeniedException("Only the organiser's coordinator produces the passenger list.")
                : new ResourceNotFoundException();
        }
        if (operation.Status is not (OperationStatus.Confirmed or OperationStatus.Departed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"The passenger list is final once the operation is confirmed; it is {operation.Status}.");
        }
        var chosen = Leg(leg, operation.Legs.Count);
        var manifest = await grains.GetGrain<IReturnOperationGrain>(id).GetManifest(caller);
        var documents = await DocumentsAsync(manifest, operation.Destinations, grains, storage);
        var countries = await grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List();
        var list = PassengerListForm.Fill(new PassengerListSources(operation, manifest, countries, documents), chosen, designator);
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"paxlst-{id}-leg{chosen}.edi\"";
        return TypedResults.Content(PaxlstMessage.Write(list, clock.GetUtcNow()), PaxlstMessage.ContentType);
    }

    private static int Leg(int? leg, int legs) => leg switch
    {
        null when legs == 1 => 0,
        null => throw RequestProblemException.BadRequest($"The operation has {legs} legs: name one with leg=0 to leg={legs - 1}."),
        { } index when index < 0 || index >= legs => throw RequestProblemException.BadRequest($"leg must be from 0 to {legs - 1}."),
        { } index => index,
    };

    private static FlightDesignator Designator(string flight)
    {
        var match = FlightPattern().Match(flight);
        return match.Success
            ? new FlightDesignator(match.Groups["airline"].Value, match.Groups["number"].Value)
            : throw RequestProblemException.BadRequest("flight must be an IATA flight designator: the airline's two characters and 1 to 4 digits, an optional suffix letter (OS1234).");
    }

    /// <summary>
    /// The newest travel document a destination of this operation issued or accepted for each returnee, from the identification
    /// requests about the case (rule 17). A returnee without one goes on the list without a DOC segment.
    /// </summary>
    private static async Task<Dictionary<string, IdentificationRequestView>> DocumentsAsync(Manifest manifest, IReadOnlyList<string> destinations,
        IGrainFactory grains, IStorageProvider storage)
    {
        var documents = new Dictionary<string, IdentificationRequestView>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            var requests = await IdentificationSchema.RequestsAboutAsync(storage.DataSource, entry.Country, entry.ReturneeId);
            // Ids are UUID v7: the last is the newest.
            foreach (var requestId in requests.Reverse())
            {
                var request = await grains.GetGrain<IIdentificationRequestGrain>(requestId).Get();
                if (request is { Status: IdentificationStatus.DocumentIssued, Document: not null } && destinations.Contains(request.Destination))
                {
                    documents[entry.ReturneeId] = request;
                    break;
                }
            }
        }
        return documents;
    }

    // IATA Resolution 762: a two-character airline designator (letters or digits), a 1-4 digit number, an optional suffix letter.
    [GeneratedRegex("^(?<airline>[A-Z0-9]{2})(?<number>[0-9]{1,4}[A-Z]?)$")]
    private static partial Regex FlightPattern();
}
