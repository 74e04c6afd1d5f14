using System.Text.Json;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>What the fundamental-rights officer receives for an incident or complaint.</summary>
public sealed record IncidentNotice(string IncidentId, string OperationId, string ReporterRole, string? ReporterCountry, IncidentReport Report);

/// <summary>Rule 14: a participant, a destination or an assigned monitor reports an incident or complaint straight to the FRO.</summary>
public static class Incidents
{
    /// <summary>Numbers the report and gives back what the fundamental-rights officer receives.</summary>
    public static IncidentNotice File(string operationId, ReturnOperationState state, Caller caller, IncidentReport report)
    {
        var plan = state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");
        var participant = caller.Country is { } c && (caller.Role is Caller.Coordinator or Caller.Partner)
            && (ParticipatingStates.Of(state).Contains(c) || plan.Destinations.Contains(c));
        var monitor = caller.Role == Caller.Monitor && state.AssignedMonitors.Contains(caller.Subject);
        if (!participant && !monitor)
        {
            throw new ResourceNotFoundException($"Operation {operationId} not found.");
        }
        if (string.IsNullOrWhiteSpace(report.Category) || string.IsNullOrWhiteSpace(report.Description))
        {
            throw new DomainRuleException(RuleCode.Validation, "An incident report needs a category and a description.");
        }
        state.Incidents++;
        return new IncidentNotice($"{operationId}-incident-{state.Incidents}", operationId, caller.Role, caller.Country, report);
    }

    /// <summary>Rule 14: the notice goes straight to the fundamental-rights officer, not through the organiser.</summary>
    public static OutboxMessage Message(IncidentNotice notice, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now).ToString("N"), Destination.Role(Caller.Fro), notice.OperationId,
            notice.Report.Complaint ? "complaint.filed" : "incident.filed", JsonSerializer.Serialize(notice, GrainsJsonContext.Default.IncidentNotice), now);
}
