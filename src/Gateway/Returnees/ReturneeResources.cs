using System.ComponentModel.DataAnnotations;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Returnees;

/// <summary>Body of <c>POST /returnees</c>, and the shape a merge patch is applied to.</summary>
public sealed record ReturneeInput(
    [property: MaxLength(ReturneeInput.MaxText)] string Reference,
    [property: StringLength(2, MinimumLength = 2)] string Nationality,
    [property: Range(ReturneeInput.MinBirthYear, ReturneeInput.MaxBirthYear)] int BirthYear,
    [property: StringLength(1, MinimumLength = 1)] string Sex,
    bool UnaccompaniedMinor,
    bool DecisionEnforceable,
    bool AppealPending,
    bool AppealSuspensive,
    bool NonRefoulementCleared,
    bool MedicalFlag,
    [property: MaxLength(ReturneeInput.MaxVulnerabilities), ItemsMaxLength(ReturneeInput.MaxText)] IReadOnlyList<string> Vulnerabilities,
    bool Voluntary,
    [property: MaxLength(ReturneeInput.MaxText)] string? FamilyGroup = null,
    [property: MaxLength(ReturneeInput.MaxText)] string? ReceptionArrangement = null,
    DateOnly? TravelDocumentValidUntil = null,
    DateOnly? FitToTravelOn = null)
{
    /// <summary>The longest free text a case holds (reference, family group, reception arrangement, each vulnerability).</summary>
    public const int MaxText = 200;

    public const int MaxVulnerabilities = 20;

    public const int MinBirthYear = 1900;

    public const int MaxBirthYear = 2100;

    private static readonly string[] s_sexes = ["F", "M", "X"];

    /// <summary>
    /// What a case holds before it reaches the grain: a reference, a birth year from 1900 to 2100, sex as in ICAO 9303 (F, M, X),
    /// nationality as an upper-case ISO code,
    /// and bounded free text. A value outside them is a validation error (422), never stored.
    /// </summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new DomainRuleException(RuleCode.Validation, "A case needs: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>What <see cref="Validate"/> refuses, one phrase each ("sex is F, M or X"); a CSV import reports them per row.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Reference))
        {
            problems.Add("a case reference");
        }
        if (BirthYear is < MinBirthYear or > MaxBirthYear)
        {
            problems.Add("a birth year from 1900 to 2100");
        }
        if (!s_sexes.Contains(Sex))
        {
            problems.Add("sex is F, M or X");
        }
        if (Nationality.Length != 2 || !Nationality.All(char.IsAsciiLetterUpper))
        {
            problems.Add("nationality is an ISO 3166 alpha-2 code");
        }
        if (new[] { Reference, FamilyGroup, ReceptionArrangement }.Concat(Vulnerabilities).Any(t => t is not null && (t.Length > MaxText || t.Any(char.IsControl))))
        {
            problems.Add($"texts have at most {MaxText} characters and no control characters");
        }
        if (Vulnerabilities.Count > MaxVulnerabilities)
        {
            problems.Add($"at most {MaxVulnerabilities} vulnerabilities");
        }
        return problems;
    }

    public ReturneeCase ToCase() => new(Reference, Nationality, BirthYear, Sex, FamilyGroup, UnaccompaniedMinor, ReceptionArrangement,
        DecisionEnforceable, AppealPending, AppealSuspensive, NonRefoulementCleared, TravelDocumentValidUntil, MedicalFlag, FitToTravelOn,
        [.. Vulnerabilities], Voluntary);

    public static ReturneeInput From(ReturneeCase c) => new(c.Reference, c.Nationality, c.BirthYear, c.Sex, c.UnaccompaniedMinor,
        c.DecisionEnforceable, c.AppealPending, c.AppealSuspensive, c.NonRefoulementCleared, c.MedicalFlag, c.Vulnerabilities, c.Voluntary,
        c.FamilyGroup, c.ReceptionArrangement, c.TravelDocumentValidUntil, c.FitToTravelOn);
}

/// <summary>A case as its owning country's coordinators see it; the personal fields are null once erased.</summary>
public sealed record ReturneeResource(
    string Id,
    string Owner,
    ReturneeStatus Status,
    string? Reference,
    string? Nationality,
    int? BirthYear,
    string? Sex,
    string? FamilyGroup,
    bool? UnaccompaniedMinor,
    string? ReceptionArrangement,
    bool? DecisionEnforceable,
    bool? AppealPending,
    bool? AppealSuspensive,
    bool? NonRefoulementCleared,
    DateOnly? TravelDocumentValidUntil,
    bool? MedicalFlag,
    DateOnly? FitToTravelOn,
    IReadOnlyList<string>? Vulnerabilities,
    bool? Voluntary,
    BookingRef? Booking,
    IReadOnlyDictionary<string, string> Readmission,
    IReadOnlyList<RuleViolation> Violations)
{
    public static ReturneeResource From(ReturneeView v)
    {
        var c = v.Case;
        return new(v.Id, v.Owner, v.Status, c?.Reference, c?.Nationality, c?.BirthYear, c?.Sex, c?.FamilyGroup, c?.UnaccompaniedMinor,
            c?.ReceptionArrangement, c?.DecisionEnforceable, c?.AppealPending, c?.AppealSuspensive, c?.NonRefoulementCleared,
            c?.TravelDocumentValidUntil, c?.MedicalFlag, c?.FitToTravelOn, c?.Vulnerabilities, c?.Voluntary, v.Booking, v.Readmission, v.Violations);
    }
}

/// <summary>One row of <c>GET /returnees</c>: ids and status only.</summary>
/// <summary>Body of <c>POST /returnees/import</c>: the file's text (ReturneeCsv).</summary>
public sealed record ReturneeImportInput([property: MaxLength(ReturneeImportInput.MaxCsvLength)] string Csv)
{
    /// <summary>No file can be longer than the body that carries it (Gateway:MaxRequestBodyBytes, 64 KiB by default).</summary>
    public const int MaxCsvLength = 64 * 1024;
}

/// <summary>Answer of <c>POST /returnees/import</c>: every case of the file, in its order.</summary>
public sealed record ReturneeImported(int Imported, IReadOnlyList<ReturneeResource> Items);

public sealed record ReturneeListItem(string Id, ReturneeStatus Status, string? OperationId);

/// <summary>A page of the returnee list; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record ReturneeList(IReadOnlyList<ReturneeListItem> Items, string? NextAfter);

/// <summary>Body of <c>POST /returnees/{id}/readmission-requests</c>.</summary>
public sealed record ReadmissionRequestInput([property: StringLength(2, MinimumLength = 2)] string Destination);

public sealed record ReadmissionCreated(string Id, string Status, DateTimeOffset ReplyDueBy);
