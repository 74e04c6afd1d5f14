namespace ReturnOps.Grains.Operations;

public sealed class ReturnOperationState
{
    public OperationPlan? Plan { get; set; }
    public decimal EscortsPerReturnee { get; set; }
    public OperationStatus Status { get; set; }
    public List<Booking> Bookings { get; set; } = [];

    /// <summary>Arrival order of bookings; a reinstated booking arrives again.</summary>
    public long NextSequence { get; set; }

    /// <summary>Changes whenever the confirmed set changes, so an older clearance no longer counts.</summary>
    public int ManifestVersion { get; set; }

    public List<string> AssignedMonitors { get; set; } = [];
    public Dictionary<string, MonitorReport> MonitorReports { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, ClearanceRecord> Clearances { get; set; } = new(StringComparer.Ordinal);
    public string? OverrideReason { get; set; }
    public string? CancelReason { get; set; }
    public int Incidents { get; set; }
    public int Suspensions { get; set; }

    /// <summary>Returnees on the final manifest who did not board; they left their booking's returnee list.</summary>
    public List<NoShowRecord> NoShows { get; set; } = [];
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The organiser shared the manifest with the destinations (rule 16); they see it, and can clear it, from then on.</summary>
    public bool ManifestShared { get; set; }

    /// <summary>Retention ran: returnee ids are gone, counts stay.</summary>
    public bool PersonalDataErased { get; set; }
}

public sealed class Booking
{
    public string Id { get; set; } = "";
    public string Country { get; set; } = "";
    public BookingStatus Status { get; set; }
    public long Sequence { get; set; }
    public List<BookedReturnee> Returnees { get; set; } = [];

    /// <summary>Returnees holding a seat: a suspended returnee's seat went back to the pool (rule 2).</summary>
    public int ReturneeCount { get; set; }

    public int ForcedCount { get; set; }
    public int Escorts { get; set; }
    public int Medical { get; set; }
    public int Monitors { get; set; }
    public int Interpreters { get; set; }
    public int Observers { get; set; }

    /// <summary>Rule 6: the staff named for the counts above, each with a travel document; empty until the country names them.</summary>
    public List<StaffMember> Staff { get; set; } = [];

    /// <summary>Rule 11: every returnee and every staff member takes a seat.</summary>
    public int Seats => ReturneeCount + Escorts + Medical + Monitors + Interpreters + Observers;

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

public sealed class BookedReturnee
{
    public string Id { get; set; } = "";
    public string? FamilyGroup { get; set; }
    public bool Forced { get; set; }

    /// <summary>Ineligible since booking (rule 2): the returnee keeps its place in the booking, not its seat.</summary>
    public bool Suspended { get; set; }
}

public sealed class ClearanceRecord
{
    public bool Cleared { get; set; }
    public List<string> RejectedReturnees { get; set; } = [];
    public string? Reason { get; set; }
    public int ManifestVersion { get; set; }
}
