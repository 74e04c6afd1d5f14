using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Manifest per viewer (<see cref="ManifestScope"/>), destination clearance (<see cref="DestinationClearance"/>), monitors
/// (<see cref="OperationMonitors"/>) and incidents (<see cref="Incidents"/>): the grain reads the cases and stores.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<Manifest> GetManifest(Caller caller)
    {
        var visible = ManifestScope.Visible(caller, S, Id);
        var entries = new List<ManifestEntry>();
        foreach (var booking in visible)
        {
            var views = await Returnees.Read(booking.Travelling.Select(r => r.Id));
            entries.AddRange(views.Select(v => ManifestScope.Entry(booking, v)));
        }
        return new Manifest(Id, S.Status, entries, ManifestScope.StaffLines(caller, Plan.Organiser, visible));
    }

    public Task<OperationView> Clear(Caller caller, ClearanceDecision decision, long? expectedVersion = null) =>
        Decide(expectedVersion, () => new DestinationClearance(Id, S).Clear(caller, decision));

    public Task<OperationView> ShareManifest(Caller caller, long? expectedVersion = null) =>
        Decide(expectedVersion, () => new DestinationClearance(Id, S).Share(caller));

    public Task<OperationView> AssignMonitor(Caller caller, string monitor, long? expectedVersion = null) =>
        Decide(expectedVersion, () => new OperationMonitors(Id, S).Assign(caller, monitor));

    public async Task FileMonitorReport(Caller caller, MonitorReport report)
    {
        Send(new OperationMonitors(Id, S).FileReport(caller, report));
        await Save();
    }

    public async Task<string> FileIncident(Caller caller, IncidentReport report)
    {
        var notice = Incidents.File(Id, S, caller, report);
        _staged.Add(Incidents.Message(notice, clock.GetUtcNow()));
        await Save();
        return notice.IncidentId;
    }

    /// <summary>
    /// An oversight decision under If-Match: it changes the state and says what to send; a decision that sends nothing
    /// changed nothing, and is not written.
    /// </summary>
    private async Task<OperationView> Decide(long? expectedVersion, Func<List<Notice>> decide)
    {
        _ = Plan;
        Bookings.CheckRevision(expectedVersion);
        var notices = decide();
        if (notices.Count > 0)
        {
            Send(notices);
            await Save();
        }
        return View();
    }
}
