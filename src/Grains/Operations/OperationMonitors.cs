using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>Forced-return monitors (rule 7): assigned by the secretariat or the organiser, one report per operation.</summary>
public sealed class OperationMonitors(string operationId, ReturnOperationState state)
{
    /// <summary>Assigns <paramref name="monitor"/>; what to send, empty when it was assigned already.</summary>
    public List<Notice> Assign(Caller caller, string monitor)
    {
        var plan = state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");
        if (caller.Role != Caller.Secretariat && !caller.IsCoordinatorOf(plan.Organiser))
        {
            throw new AccessDeniedException("Monitors are assigned by the secretariat or the organiser.");
        }
        if (state.Status is OperationStatus.Completed or OperationStatus.Cancelled)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The operation has ended.");
        }
        if (state.AssignedMonitors.Contains(monitor))
        {
            return [];
        }
        state.AssignedMonitors.Add(monitor);
        return [new(Destination.Role(Caller.Fro), new Notification("monitor.assigned", Reason: monitor))];
    }

    /// <summary>An assigned monitor's report, after departure; it goes to the secretariat, the FRO and every participating state.</summary>
    public List<Notice> FileReport(Caller caller, MonitorReport report)
    {
        if (caller.Role != Caller.Monitor || !state.AssignedMonitors.Contains(caller.Subject))
        {
            throw new ResourceNotFoundException($"Operation {operationId} not found.");
        }
        if (state.Status is not (OperationStatus.Departed or OperationStatus.Completed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "A monitor report follows the operation (Departed or Completed).");
        }
        if (state.MonitorReports.Count > 0)
        {
            // One report per operation; a second one would notify everyone again with a different account.
            throw new DomainRuleException(RuleCode.OneMonitorReport, "The monitor report of this operation has already been filed.");
        }
        state.MonitorReports[caller.Subject] = report;
        var body = new Notification("monitor.report", Reason: report.Summary, Status: report.IssuesFound ? "issues" : "no-issues");
        return [.. ParticipatingStates.Of(state).Select(Destination.Country).Append(Destination.Role(Caller.Secretariat)).Append(Destination.Role(Caller.Fro))
            .Select(to => new Notice(to, body))];
    }
}
