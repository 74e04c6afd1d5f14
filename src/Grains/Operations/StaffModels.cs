namespace ReturnOps.Grains.Operations;

/// <summary>The staff a booking counts; each named member fills one of the booking's counted seats of that role.</summary>
[GenerateSerializer]
[Alias("ReturnOps.StaffRole")]
public enum StaffRole
{
    Escort,
    Medical,
    Monitor,
    Interpreter,
    Observer,
}

/// <summary>One staff member of a booking, named by a service number, never by name (data minimisation).</summary>
/// <param name="Reference">The sending authority's service or badge number of the person.</param>
/// <param name="TravelDocumentValidUntil">Rule 6: the document must be valid on the day of departure.</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.StaffMember")]
public sealed record StaffMember(
    [property: Id(0)] string Reference,
    [property: Id(1)] StaffRole Role,
    [property: Id(2)] DateOnly TravelDocumentValidUntil);

/// <summary>
/// A staff member on the manifest. <see cref="TravelDocumentValidUntil"/> is shown only to the booking's country
/// and the organiser (who answer for the documents); a destination or a monitor sees reference and role.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ManifestStaffMember")]
public sealed record ManifestStaffMember(
    [property: Id(0)] string Reference,
    [property: Id(1)] StaffRole Role,
    [property: Id(2)] DateOnly? TravelDocumentValidUntil);
