using System.Globalization;
using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.TravelDocuments;

/// <summary>What the form is filled from: the stored case, its identification request, the destination's terms and the journey.</summary>
public sealed record EuTravelDocumentSources(
    ReturneeView Returnee,
    ReturneeCase Case,
    IdentificationRequestView Request,
    ReadmissionClock? Agreement,
    string? IssuingAuthority,
    OperationView? Operation);

/// <summary>
/// Fills the European travel document for return from stored data and the input, or refuses with every broken rule (422): the
/// destination's agreement must accept the document, the destination must have confirmed identity and nationality, and the
/// document must be valid on the day of the journey. Plain code: the endpoint loads, this decides.
/// </summary>
public static class EuTravelDocumentForm
{
    public const string Regulation = "Regulation (EU) 2016/1953";

    /// <summary>The zone's document number field holds nine characters.</summary>
    public const int MaxDocumentNumber = 9;

    /// <summary>The longest name the zone writes whole.</summary>
    public const int MaxName = 39;

    /// <summary>Said on the document's data and on its page: the platform never prints the document itself.</summary>
    public const string Printing =
        "This is the data of the European travel document for return and its machine-readable zone. The issuing member state prints " +
        "the document on the secure form of Regulation (EC) No 333/2002 (Art. 4 of Regulation (EU) 2016/1953), with the photograph, " +
        "signature and stamp; ReturnOps prints no travel document.";

    private static readonly string[] s_completedByIssuingState =
        ["photograph", "distinguishingMarks", "addressInCountryOfReturn", "placeOfIssue", "signatureAndStamp"];

    public static EuTravelDocument Fill(EuTravelDocumentSources s, EuTravelDocumentInput input, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        var destination = s.Request.Destination;
        if (s.Agreement?.IdentificationTerms.AcceptsEuTravelDocument != true)
        {
            violations.Add(new(RuleCode.Identification, $"The terms with {destination} do not accept the European travel document for return."));
        }
        if (s.Request.Status is not (IdentificationStatus.AwaitingDocument or IdentificationStatus.DocumentIssued))
        {
            violations.Add(new(RuleCode.Identification, $"{destination} has not confirmed this person's identity and nationality (request is {s.Request.Status})."));
        }
        var issuing = IcaoStateCodes.Of(s.Returnee.Owner);
        var nationality = IcaoStateCodes.Of(s.Case.Nationality);
        if (issuing is null || nationality is null)
        {
            violations.Add(new(RuleCode.Validation, "No ICAO Doc 9303 code is on file for the issuing state or the nationality."));
        }
        CheckInput(input, s.Case, today, violations);
        var journey = s.Operation is { } op && op.Destinations.Contains(destination) ? op : null;
        if (journey is not null && input.ValidUntil < DateOnly.FromDateTime(journey.Legs[0].Departure.UtcDateTime))
        {
            violations.Add(new(RuleCode.TravelDocument, "The document must be valid on the day of the journey it is issued for."));
        }
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
        var zone = MachineReadableZone.Td3(new MrzFields("P<", issuing!, input.Surname, input.GivenNames, input.DocumentNumber, nationality!,
            input.DateOfBirth, s.Case.BirthYear, s.Case.Sex, input.ValidUntil));
        return new EuTravelDocument(Regulation, s.Returnee.Id, s.Request.Id, input.DocumentNumber, s.Returnee.Owner, s.IssuingAuthority, today,
            input.ValidUntil, input.Surname, input.GivenNames,
            input.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? s.Case.BirthYear.ToString(CultureInfo.InvariantCulture),
            s.Case.Sex, s.Case.Nationality, destination, journey?.Id, journey?.Legs[0].From, journey?.Legs[^1].To, journey?.Legs[0].Departure,
            s_completedByIssuingState, [zone.Line1, zone.Line2], Printing);
    }

    private static void CheckInput(EuTravelDocumentInput input, ReturneeCase c, DateOnly today, List<RuleViolation> violations)
    {
        if (input.DocumentNumber.Length is < 1 or > MaxDocumentNumber || !input.DocumentNumber.All(ch => char.IsAsciiLetterUpper(ch) || char.IsAsciiDigit(ch)))
        {
            violations.Add(new(RuleCode.Validation, "documentNumber must be 1 to 9 upper-case letters or digits (the zone's number field)."));
        }
        if (!Name(input.Surname, required: true) || !Name(input.GivenNames, required: false))
        {
            violations.Add(new(RuleCode.Validation,
                "surname (required) and givenNames must be at most 39 characters of A–Z, spaces, hyphens and apostrophes, as the zone writes them; " +
                "transliterating other letters is the issuing state's (ICAO Doc 9303 Part 3)."));
        }
        if (input.DateOfBirth is { } born && born.Year != c.BirthYear)
        {
            violations.Add(new(RuleCode.Validation, "dateOfBirth is not in the case's year of birth."));
        }
        if (input.ValidUntil < today)
        {
            violations.Add(new(RuleCode.Validation, "validUntil is in the past."));
        }
    }

    private static bool Name(string value, bool required) =>
        value.Length <= MaxName && (!required || value.Trim().Length > 0)
        && value.All(ch => char.IsAsciiLetter(ch) || ch is ' ' or '-' or '\'');
}
