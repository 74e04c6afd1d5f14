namespace ReturnOps.Grains.Returnees;

/// <summary>Who ordered an interim measure (rule 22).</summary>
[GenerateSerializer]
[Alias("ReturnOps.InterimMeasureSource")]
public enum InterimMeasureSource
{
    /// <summary>Rule 39 of the Rules of Court of the European Court of Human Rights.</summary>
    EctHrRule39,

    /// <summary>A national court's order (suspension of removal, interim relief).</summary>
    NationalCourt,

    /// <summary>The fundamental-rights officer, pending a court's decision (Reg. 2019/1896 Art 109).</summary>
    FundamentalRightsOfficer,
}

/// <summary>An interim measure as filed: its source, the court's own reference, the day it was ordered and an optional end.</summary>
/// <param name="Until">The last day the measure applies; null until lifted.</param>
[GenerateSerializer]
[Alias("ReturnOps.InterimMeasure")]
public sealed record InterimMeasure(
    [property: Id(0)] InterimMeasureSource Source,
    [property: Id(1)] string Reference,
    [property: Id(2)] DateOnly OrderedOn,
    [property: Id(3)] DateOnly? Until);

/// <summary>Who did something to a hold, as the token said: role, country (none for the fundamental-rights officer) and subject.</summary>
[GenerateSerializer]
[Alias("ReturnOps.LegalHoldActor")]
public sealed record LegalHoldActor(
    [property: Id(0)] string Role,
    [property: Id(1)] string? Country,
    [property: Id(2)] string Subject);

/// <summary>The lifting of a hold: who, why and when; a lifted hold stays on the case as its record.</summary>
[GenerateSerializer]
[Alias("ReturnOps.LegalHoldLifting")]
public sealed record LegalHoldLifting(
    [property: Id(0)] LegalHoldActor By,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset At);

/// <summary>
/// A legal hold on a case (rule 22): not the row saying which booking holds a seat (<see cref="ReturneeHolds"/>), but an
/// interim measure that stops the person's removal until it is lifted or ends.
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.LegalHold")]
public sealed record LegalHold(
    [property: Id(0)] string Id,
    [property: Id(1)] InterimMeasure Measure,
    [property: Id(2)] LegalHoldActor PlacedBy,
    [property: Id(3)] DateTimeOffset PlacedAt,
    [property: Id(4)] LegalHoldLifting? Lifted = null)
{
    /// <summary>In force on <paramref name="day"/>: not lifted, and not past its end.</summary>
    public bool InForceOn(DateOnly day) => Lifted is null && (Measure.Until is not { } until || day <= until);
}

/// <summary>The answer to placing a hold; <see cref="SuspendedIn"/> is the booking whose seat it suspended, for the caller to relay.</summary>
[GenerateSerializer]
[Alias("ReturnOps.LegalHoldPlaced")]
public sealed record LegalHoldPlaced(
    [property: Id(0)] LegalHold Hold,
    [property: Id(1)] BookingRef? SuspendedIn);
