using System.Text.Json;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>Manifest per viewer, destination clearance, monitors and incidents (rules 5, 7, 13, 14, 16).</summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<Manifest> GetManifest(Caller caller)
    {
        var confirmed = S.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        var visible = ManifestScope(caller, confirmed);
        var entries = new List<ManifestEntry>();
        foreach (var booking in visible)
        {
            var views = await Task.WhenAll(booking.Travelling.Select(r => Returnee(r.Id).Get()));
            entries.AddRange(views.Select(v => v?.Case is { } c
                ? new ManifestEntry(v.Id, booking.Country, booking.Id, c.Nationality, c.BirthYear, c.Sex, c.FamilyGroup, c.UnaccompaniedMinor,
                    c.ReceptionArrangement, c.MedicalFlag, c.Vulnerabilities, c.Voluntary)
                : new ManifestEntry(v?.Id ?? "", booking.Country, booking.Id, null, null, null, null, false, null, false, [], false)));
        }
        return new Manifest(Id, S.Status, entries, StaffLines(caller, visible));
    }

    /// <summary>
    /// Rule 16: the organiser sees all; a participant its own; a destination's partner all, once the organiser shared it;
    /// an assigned monitor all; the secretariat counts only. Others learn nothing, not even that it exists.
    /// </summary>
    private List<Booking> ManifestScope(Caller caller, List<Booking> confirmed)
    {
        var plan = Plan;
        if (caller.Role == Caller.Secretariat)
        {
            throw new AccessDeniedException("The secretariat sees counts, not manifests.");
        }
        if (IsOrganiser(caller) || (caller.Role == Caller.Monitor && S.AssignedMonitors.Contains(caller.Subject)))
        {
            return confirmed;
        }
        if (caller.Role == Caller.Partner && caller.Country is { } destination && plan.Destinations.Contains(destination)
            && S.ManifestShared && S.Status != OperationStatus.Cancelled)
        {
            return confirmed;
        }
        if (caller.Role == Caller.Coordinator && S.Bookings.Any(b => b.Country == caller.Country))
        {
            return [.. confirmed.Where(b => b.Country == caller.Country)];
        }
        throw new ResourceNotFoundException($"Operation {Id} not found.");
    }

    public async Task<OperationView> Clear(Caller caller, ClearanceDecision decision, long? expectedVersion = null)
    {
        _ = Plan;
        CheckExpectedVersion(expectedVersion);
        if (caller.Role != Caller.Partner || caller.Country is not { } destination || !Plan.Destinations.Contains(destination))
        {
            throw new ResourceNotFoundException($"Operation {Id} not found.");
        }
        if (S.Status is not (OperationStatus.BookingClosed or OperationStatus.Confirmed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "A manifest is cleared after booking closes and before departure.");
        }
        if (!S.ManifestShared)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The organiser has not shared the manifest with the destinations yet.");
        }
        CheckClearanceDecision(decision);
        S.Clearances[destination] = new ClearanceRecord
        {
            Cleared = decision.Cleared && decision.RejectedReturnees.Count == 0,
            RejectedReturnees = [.. decision.RejectedReturnees],
            Reason = decision.Reason,
            ManifestVersion = S.ManifestVersion,
        };
        Notify(Destination.Country(Plan.Organiser), new Notification(decision.Cleared ? "manifest.cleared" : "manifest.rejected",
            Country: destination, Reason: decision.Reason, Seats: decision.RejectedReturnees.Count));
        await Save();
        return View();
    }

    /// <summary>
    /// A refusal names people on the current manifest and says why: the organiser must know whom to take off and the reason
    /// to pass on; an unknown id would otherwise be stored as a refusal of no one.
    /// </summary>
    private void CheckClearanceDecision(ClearanceDecision decision)
    {
        var onManifest = S.Bookings.Where(b => b.Status == BookingStatus.Confirmed).SelectMany(b => b.Travelling).Select(r => r.Id).ToHashSet();
        var unknown = decision.RejectedReturnees.Where(r => !onManifest.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainRuleException(RuleCode.Validation, $"Not on the manifest: {string.Join(", ", unknown)}.");
        }
        if ((!decision.Cleared || decision.RejectedReturnees.Count > 0) && string.IsNullOrWhiteSpace(decision.Reason))
        {
            throw new DomainRuleException(RuleCode.Validation, "A rejection needs a reason.");
        }
    }

    public async Task<OperationView> ShareManifest(Caller caller, long? expectedVersion = null)
    {
        _ = Plan;
        CheckExpectedVersion(expectedVersion);
        if (!IsOrganiser(caller))
        {
            throw new AccessDeniedException("Only the organiser shares the manifest.");
        }
        if (S.Status is not (OperationStatus.BookingClosed or OperationStatus.Confirmed or OperationStatus.Departed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The manifest is shared once booking has closed, until the operation ends.");
        }
        if (!S.ManifestShared)
        {
            S.ManifestShared = true;
            // Each destination's system learns it may now fetch and pre-clear the manifest (rule 13).
            foreach (var destination in Plan.Destinations)
            {
                Notify(Destination.Country(destination), new Notification("manifest.shared", Country: destination, Status: S.Status.ToString()));
            }
            await Save();
        }
        return View();
    }

    public async Task<OperationView> AssignMonitor(Caller caller, string monitor, long? expectedVersion = null)
    {
        _ = Plan;
        CheckExpectedVersion(expectedVersion);
        if (caller.Role != Caller.Secretariat && !IsOrganiser(caller))
        {
            throw new AccessDeniedException("Monitors are assigned by the secretariat or the organiser.");
        }
        if (S.Status is OperationStatus.Completed or OperationStatus.Cancelled)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The operation has ended.");
        }
        if (!S.AssignedMonitors.Contains(monitor))
        {
            S.AssignedMonitors.Add(monitor);
            Notify(Destination.Role(Caller.Fro), new Notification("monitor.assigned", Reason: monitor));
            await Save();
        }
        return View();
    }

    public async Task FileMonitorReport(Caller caller, MonitorReport report)
    {
        if (caller.Role != Caller.Monitor || !S.AssignedMonitors.Contains(caller.Subject))
        {
            throw new ResourceNotFoundException($"Operation {Id} not found.");
        }
        if (S.Status is not (OperationStatus.Departed or OperationStatus.Completed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "A monitor report follows the operation (Departed or Completed).");
        }
        if (S.MonitorReports.Count > 0)
        {
            // Rule 7: one report per operation; a second one would notify everyone again with a different account.
            throw new DomainRuleException(RuleCode.OneMonitorReport, "The monitor report of this operation has already been filed.");
        }
        S.MonitorReports[caller.Subject] = report;
        var body = new Notification("monitor.report", Reason: report.Summary, Status: report.IssuesFound ? "issues" : "no-issues");
        // Rule 7: the secretariat, the fundamental-rights officer and every participating state.
        foreach (var to in ParticipatingStates().Select(Destination.Country)
            .Append(Destination.Role(Caller.Secretariat)).Append(Destination.Role(Caller.Fro)))
        {
            Notify(to, body);
        }
        await Save();
    }

    public async Task<string> FileIncident(Caller caller, IncidentReport report)
    {
        var participant = caller.Country is { } c && (caller.Role is Caller.Coordinator or Caller.Partner)
            && (ParticipatingStates().Contains(c) || Plan.Destinations.Contains(c));
        var monitor = caller.Role == Caller.Monitor && S.AssignedMonitors.Contains(caller.Subject);
        if (!participant && !monitor)
        {
            throw new ResourceNotFoundException($"Operation {Id} not found.");
        }
        if (string.IsNullOrWhiteSpace(report.Category) || string.IsNullOrWhiteSpace(report.Description))
        {
            throw new DomainRuleException(RuleCode.Validation, "An incident report needs a category and a description.");
        }
        S.Incidents++;
        var incidentId = $"{Id}-incident-{S.Incidents}";
        var notice = new IncidentNotice(incidentId, Id, caller.Role, caller.Country, report);
        // Rule 14: straight to the fundamental-rights officer, not through the organiser.
        EnqueueMessage(new(Guid.CreateVersion7(clock.GetUtcNow()).ToString("N"), Destination.Role(Caller.Fro), Id,
            report.Complaint ? "complaint.filed" : "incident.filed",
            JsonSerializer.Serialize(notice, GrainsJsonContext.Default.IncidentNotice), clock.GetUtcNow()));
        await Save();
        return incidentId;
    }

    private IEnumerable<string> ParticipatingStates() =>
        S.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Select(b => b.Country).Append(Plan.Organiser).Distinct();
}

/// <summary>What the fundamental-rights officer receives for an incident or complaint.</summary>
public sealed record IncidentNotice(string IncidentId, string OperationId, string ReporterRole, string? ReporterCountry, IncidentReport Report);
