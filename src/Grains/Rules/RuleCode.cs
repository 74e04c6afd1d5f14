namespace ReturnOps.Grains.Rules;

/// <summary>
/// The rule codes of the gateway contract (api.md), defined once. The gateway answers a broken rule
/// with 409 when <see cref="IsConflict"/> says the request came at the wrong time, else with 422.
/// </summary>
public static class RuleCode
{
    public const string Capacity = "capacity";
    public const string BookingClosed = "booking-closed";
    public const string EnforceableDecision = "enforceable-decision";
    public const string SuspensiveAppeal = "suspensive-appeal";
    public const string NonRefoulement = "non-refoulement";
    public const string UnaccompaniedMinorReception = "unaccompanied-minor-reception";
    public const string FamilyUnity = "family-unity";
    public const string FitToTravel = "fit-to-travel";
    public const string TravelDocument = "travel-document";
    public const string EscortRatio = "escort-ratio";
    public const string MonitorRequired = "monitor-required";
    public const string MedicalStaff = "medical-staff";
    public const string ManifestClearance = "manifest-clearance";
    public const string Readmission = "readmission";
    public const string InvalidTransition = "invalid-transition";
    public const string IdempotencyKeyReuse = "idempotency-key-reuse";

    /// <summary>Added to the contract: a returnee already holds a seat in another booking.</summary>
    public const string AlreadyBooked = "already-booked";

    /// <summary>Added to the contract: a well-formed request whose values the domain rejects (422).</summary>
    public const string Validation = "validation";

    /// <summary>Added to the contract: a forced returnee on a voluntary-return charter ("no escorts, no coercion").</summary>
    public const string VoluntaryOnly = "voluntary-only";

    /// <summary>Added to the contract: rule 7 asks for one monitor report per operation; a second one is refused.</summary>
    public const string OneMonitorReport = "one-monitor-report";

    /// <summary>Added to the contract: rule 21, the operation's destinations include neither the nationality nor a country that accepted the readmission.</summary>
    public const string DestinationOfReturn = "destination-of-return";

    /// <summary>Added to the contract: rule 19, the operation has ended and its cost statement is final.</summary>
    public const string CostsFinal = "costs-final";

    /// <summary>Added to the contract: rule 19, co-financing would exceed the operation's costs.</summary>
    public const string CoFinancingBeyondCosts = "co-financing-beyond-costs";

    /// <summary>Added to the contract: rule 17, identification and travel documents (no agreement or arrangement, a kind or validity the terms do not accept).</summary>
    public const string Identification = "identification";

    /// <summary>Added to the contract: rule 18, a reintegration referral needs the returnee's recorded consent, not withdrawn.</summary>
    public const string ReintegrationConsent = "reintegration-consent";

    /// <summary>Added to the contract: rule 18, the provider must serve the returnee's country of return (nationality or accepted readmission).</summary>
    public const string ReintegrationProvider = "reintegration-provider";

    /// <summary>Added to the contract: the stored answer of a request's Idempotency-Key named a case since erased (410); the request is not acted on again.</summary>
    public const string Erased = "erased";

    /// <summary>Added to the contract: rule 22, an interim measure (legal hold) stops the person's removal; no override lifts it.</summary>
    public const string LegalHold = "legal-hold";

    /// <summary>Every code, for documentation and for the gateway's OpenAPI description.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Capacity, BookingClosed, EnforceableDecision, SuspensiveAppeal, NonRefoulement, UnaccompaniedMinorReception,
        FamilyUnity, FitToTravel, TravelDocument, EscortRatio, MonitorRequired, MedicalStaff, ManifestClearance,
        Readmission, InvalidTransition, IdempotencyKeyReuse, AlreadyBooked, Validation, VoluntaryOnly, OneMonitorReport,
        DestinationOfReturn, CostsFinal, CoFinancingBeyondCosts, Identification, ReintegrationConsent, ReintegrationProvider,
        Erased, LegalHold,
    ];

    /// <summary>True for rules broken by timing or lifecycle state (HTTP 409); the others are 422.</summary>
    public static bool IsConflict(string code) => code is BookingClosed or InvalidTransition or OneMonitorReport or CostsFinal;
}
