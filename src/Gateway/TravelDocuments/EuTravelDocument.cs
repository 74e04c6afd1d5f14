using System.ComponentModel.DataAnnotations;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.Gateway.TravelDocuments;

/// <summary>
/// Body of <c>POST /returnees/{id}/eu-travel-document</c>: what the platform does not hold about the person (data minimisation)
/// and the issuing state's own number and validity. Used for the answer only, never stored.
/// </summary>
/// <param name="IdentificationRequest">The case's identification request whose destination confirmed identity and nationality.</param>
/// <param name="DateOfBirth">Optional: the case holds the year only; without it the zone carries the year and fillers.</param>
public sealed record EuTravelDocumentInput(
    [property: MaxLength(RequestLimits.MaxIdLength)] string IdentificationRequest,
    [property: MaxLength(EuTravelDocumentForm.MaxDocumentNumber)] string DocumentNumber,
    [property: MaxLength(EuTravelDocumentForm.MaxName)] string Surname,
    [property: MaxLength(EuTravelDocumentForm.MaxName)] string GivenNames,
    DateOnly ValidUntil,
    DateOnly? DateOfBirth = null)
{
    public override string ToString() => $"EuTravelDocumentInput {{ IdentificationRequest = {IdentificationRequest}, Surname = ***, GivenNames = *** }}";
}

/// <summary>
/// The data of the European travel document for return (Regulation (EU) 2016/1953, Art. 3 and Annex) and its machine-readable
/// zone. The single journey is the operation the case is booked on to that destination (null fields when it is not booked yet).
/// <see cref="CompletedByIssuingState"/> names the fields the issuing state adds when it prints the document.
/// </summary>
public sealed record EuTravelDocument(
    string Regulation,
    string ReturneeId,
    string IdentificationRequestId,
    string DocumentNumber,
    string IssuingState,
    string? IssuingAuthority,
    DateOnly DateOfIssue,
    DateOnly ValidUntil,
    string Surname,
    string GivenNames,
    string DateOfBirth,
    string Sex,
    string Nationality,
    string CountryOfReturn,
    string? JourneyOperationId,
    string? JourneyFrom,
    string? JourneyTo,
    DateTimeOffset? JourneyDeparture,
    IReadOnlyList<string> CompletedByIssuingState,
    IReadOnlyList<string> MachineReadableZone,
    string Printing);
