using ReturnOps.Gateway.TravelDocuments;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.PassengerLists;

/// <summary>What the form is filled from: the operation, the organiser's manifest and the documents the destinations issued.</summary>
/// <param name="Documents">By returnee id, the identification request whose destination recorded the returnee's travel document.</param>
public sealed record PassengerListSources(
    OperationView Operation,
    Manifest Manifest,
    IReadOnlyList<Country> Countries,
    IReadOnlyDictionary<string, IdentificationRequestView> Documents);

/// <summary>
/// Fills the passenger list of one leg from the confirmed manifest. Data minimisation (EDPS opinion 2017-0874; Directive
/// 2004/82 Art. 3(2) lists what a passenger list holds): sex, year of birth, nationality and the travel document of a returnee;
/// nothing of the case (reference, vulnerabilities, medical or family data, decision and appeal status) leaves the platform.
/// </summary>
public static class PassengerListForm
{
    /// <summary>The list of leg <paramref name="leg"/> (0-based, as in <c>legs[]</c>).</summary>
    public static PassengerList Fill(PassengerListSources sources, int leg, FlightDesignator flight)
    {
        var operation = sources.Operation;
        var flown = operation.Legs[leg];
        var arrivalState = sources.Countries.FirstOrDefault(c => c.Airports.Contains(flown.To, StringComparer.Ordinal))
            ?? throw new DomainRuleException(RuleCode.Validation, $"Airport {flown.To} is not an airport of any country on file, so the list has no recipient.");
        var departureZone = Calendars.AirportZones.Of(flown.From)
            ?? throw new DomainRuleException(RuleCode.Validation, $"Airport {flown.From} has no time zone on file; the list gives departure in local time.");
        var organiser = sources.Countries.FirstOrDefault(c => c.Code == operation.Organiser);
        var returnees = sources.Manifest.Entries
            .OrderBy(e => e.Country, StringComparer.Ordinal).ThenBy(e => e.ReturneeId, StringComparer.Ordinal)
            .Select(e => Returnee(e, flown, sources));
        // Escorts, medical staff, monitors, interpreters and observers travel as passengers: they are not the aircraft's crew.
        var staff = sources.Manifest.Staff.SelectMany(line => line.Members)
            .Select(m => new Traveller(m.Reference, null, null, null, flown.From, flown.To, null));
        return new PassengerList(
            Sender: "RETURNOPS-" + StateCode(operation.Organiser),
            Recipient: StateCode(arrivalState.Code),
            ReportingParty: organiser?.Authority ?? "Return authority of " + operation.Organiser,
            flight,
            flown.From,
            TimeZoneInfo.ConvertTime(flown.Departure, departureZone).DateTime,
            flown.To,
            [.. returnees, .. staff]);
    }

    private static Traveller Returnee(ManifestEntry entry, Leg flown, PassengerListSources sources)
    {
        // ICAO 9303 type P for all three kinds: a passport, and a laissez-passer or the EU return document in passport format.
        var document = sources.Documents.TryGetValue(entry.ReturneeId, out var request) && request.Document is { } issued
            ? new TravellerDocument("P", issued.Number, issued.ValidUntil, StateCode(request.Destination))
            : null;
        return new Traveller(entry.ReturneeId, entry.Sex switch { "F" => "F", "M" => "M", null => null, _ => "U" }, entry.BirthYear,
            entry.Nationality is { } nationality ? StateCode(nationality) : null, flown.From, flown.To, document);
    }

    private static string StateCode(string iso2) => IcaoStateCodes.Of(iso2)
        ?? throw new DomainRuleException(RuleCode.Validation, $"Country {iso2} has no ICAO state code on file; the list cannot name it.");
}
