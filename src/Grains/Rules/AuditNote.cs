namespace ReturnOps.Grains.Rules;

/// <summary>
/// What the gateway's audit log records of a request a grain answers and audits in its own write (a booking, issue 22): who
/// asked, as the token says, and what. The grain adds the outcome and writes the entry with the change it answers.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.AuditNote")]
public sealed record AuditNote(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Role,
    [property: Id(2)] string Country,
    [property: Id(3)] string Action,
    [property: Id(4)] string Resource);
