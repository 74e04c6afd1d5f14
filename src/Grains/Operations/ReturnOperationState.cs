using System.Text.Json.Serialization;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The operation's stored state. Persisted as JSON through <see cref="GrainsJsonContext"/>: property names are the stored
/// shape and must not change; the <c>[Id]</c>s serve Orleans' serializer only. The bookings are stored as rows of their
/// own (<see cref="BookingRows"/>), not in this JSON.
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.ReturnOperationState")]
public sealed class ReturnOperationState
{
    [Id(0)]
    public OperationPlan? Plan { get; set; }

    [Id(1)]
    public decimal EscortsPerReturnee { get; set; }

    [Id(2)]
    public OperationStatus Status { get; set; }

    /// <summary>In arrival order of first request; stored as <see cref="BookingRows"/>, loaded on activation.</summary>
    [Id(3)]
    [JsonIgnore]
    public List<Booking> Bookings { get; set; } = [];

    /// <summary>
    /// Where states written before the booking rows kept their bookings (the stored name <c>bookings</c>). Read once on
    /// activation into <see cref="Bookings"/>; the next write stores them as rows and leaves this out (null).
    /// </summary>
    [Id(18)]
    [JsonPropertyName("bookings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Booking>? LegacyBookings { get; set; }

    /// <summary>Arrival order of bookings; a reinstated booking arrives again.</summary>
    [Id(4)]
    public long NextSequence { get; set; }

    /// <summary>Changes whenever the confirmed set changes, so an older clearance no longer counts.</summary>
    [Id(5)]
    public int ManifestVersion { get; set; }

    [Id(6)]
    public List<string> AssignedMonitors { get; set; } = [];

    [Id(7)]
    public Dictionary<string, MonitorReport> MonitorReports { get; set; } = new(StringComparer.Ordinal);

    [Id(8)]
    public Dictionary<string, ClearanceRecord> Clearances { get; set; } = new(StringComparer.Ordinal);

    [Id(9)]
    public string? OverrideReason { get; set; }

    [Id(10)]
    public string? CancelReason { get; set; }

    [Id(11)]
    public int Incidents { get; set; }

    [Id(12)]
    public int Suspensions { get; set; }

    /// <summary>Returnees on the final manifest who did not board; they left their booking's returnee list.</summary>
    [Id(13)]
    public List<NoShowRecord> NoShows { get; set; } = [];

    [Id(14)]
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The organiser shared the manifest with the destinations (rule 16); they see it, and can clear it, from then on.</summary>
    [Id(15)]
    public bool ManifestShared { get; set; }

    /// <summary>Retention ran: returnee ids are gone, counts stay.</summary>
    [Id(16)]
    public bool PersonalDataErased { get; set; }

    /// <summary>
    /// The domain revision: one more with every accepted change, the ETag the gateway shows and If-Match names. Not the
    /// storage version: one write stores many bookings, and each must move the revision so that two bookings holding the
    /// same If-Match cannot both pass it. States stored before it start from their storage version.
    /// </summary>
    [Id(17)]
    public long Revision { get; set; }
}

[GenerateSerializer]
[Alias("ReturnOps.Booking")]
public sealed class Booking
{
    [Id(0)]
    public string Id { get; set; } = "";

    [Id(1)]
    public string Country { get; set; } = "";

    [Id(2)]
    public BookingStatus Status { get; set; }

    [Id(3)]
    public long Sequence { get; set; }

    [Id(4)]
    public List<BookedReturnee> Returnees { get; set; } = [];

    /// <summary>Returnees holding a seat: a suspended returnee's seat went back to the pool (rule 2).</summary>
    [Id(5)]
    public int ReturneeCount { get; set; }

    [Id(6)]
    public int ForcedCount { get; set; }

    [Id(7)]
    public int Escorts { get; set; }

    [Id(8)]
    public int Medical { get; set; }

    [Id(9)]
    public int Monitors { get; set; }

    [Id(10)]
    public int Interpreters { get; set; }

    [Id(11)]
    public int Observers { get; set; }

    /// <summary>Rule 6: the staff named for the counts above, each with a travel document; empty until the country names them.</summary>
    [Id(12)]
    public List<StaffMember> Staff { get; set; } = [];

    /// <summary>
    /// Rule 19: the most seats this booking held at once from BookingClosed until departure; a seat released after the
    /// booking closed still counts for cost. Recorded by <see cref="ReturnOperationGrain"/> on every write in that time.
    /// </summary>
    [Id(13)]
    public int CostSeats { get; set; }

    /// <summary>
    /// What the booking's caller was answered when it was decided: a retry of the same request (same Idempotency-Key) gets
    /// this answer again, whatever happened to the booking since. Null for bookings decided before it was kept.
    /// </summary>
    [Id(14)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DecidedAnswer? Decided { get; set; }

    /// <summary>
    /// Returnees taken off this booking one by one (a destination rejected them): a retry of the booking's request still names
    /// them. Null until someone is removed, so that the rows of other bookings stay as they were.
    /// </summary>
    [Id(15)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Removed { get; set; }

    /// <summary>Rule 11: every returnee and every staff member takes a seat. Checked: counts are bounded (<see cref="BookingLimits"/>), a wrap would be a bug.</summary>
    public int Seats => checked(ReturneeCount + Escorts + Medical + Monitors + Interpreters + Observers);

    public bool Holds => Status is BookingStatus.Confirmed or BookingStatus.Waitlisted;

    /// <summary>The returnees who travel with this booking: every one not suspended.</summary>
    public IEnumerable<BookedReturnee> Travelling => Returnees.Where(r => !r.Suspended);

    /// <summary>Recounts the seats after returnees were suspended or reinstated; erasure keeps the counts, so only this changes them.</summary>
    public void Recount()
    {
        ReturneeCount = Returnees.Count(r => !r.Suspended);
        ForcedCount = Returnees.Count(r => !r.Suspended && r.Forced);
    }
}

/// <summary>The parts of a booking's first answer that later decisions change (promotion, suspension, reinstatement).</summary>
[GenerateSerializer]
[Alias("ReturnOps.DecidedAnswer")]
public sealed record DecidedAnswer(
    [property: Id(0)] BookingStatus Status,
    [property: Id(1)] long Sequence,
    [property: Id(2)] int ReturneeCount,
    [property: Id(3)] int ForcedCount);

[GenerateSerializer]
[Alias("ReturnOps.BookedReturnee")]
public sealed class BookedReturnee
{
    [Id(0)]
    public string Id { get; set; } = "";

    [Id(1)]
    public string? FamilyGroup { get; set; }

    [Id(2)]
    public bool Forced { get; set; }

    /// <summary>Ineligible since booking (rule 2): the returnee keeps its place in the booking, not its seat.</summary>
    [Id(3)]
    public bool Suspended { get; set; }

    /// <summary>
    /// The citizenship the case held when booked, counted in the return statistics (<see cref="ReadModels.ReturnCounts"/>) so that
    /// the count outlives the case's erasure. Null for returnees booked before it was kept (counted as unknown).
    /// </summary>
    [Id(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Nationality { get; set; }

    /// <summary>Rule 21: the destination of this operation the returnee goes to (the nationality's, or one that accepted readmission).</summary>
    [Id(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReturnTo { get; set; }
}

[GenerateSerializer]
[Alias("ReturnOps.ClearanceRecord")]
public sealed class ClearanceRecord
{
    [Id(0)]
    public bool Cleared { get; set; }

    [Id(1)]
    public List<string> RejectedReturnees { get; set; } = [];

    [Id(2)]
    public string? Reason { get; set; }

    [Id(3)]
    public int ManifestVersion { get; set; }

    /// <summary>
    /// The organiser's reason for going on despite this rejection (at confirmation or departure): it no longer holds the
    /// operation back. A new verdict of the destination replaces the record, and with it this.
    /// </summary>
    [Id(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OverriddenBecause { get; set; }
}
