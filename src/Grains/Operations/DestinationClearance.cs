using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Rule 13: the organiser shares the manifest with the destinations, each destination clears or rejects its current version,
/// and confirmation needs every destination's clearance of the manifest as it stands.
/// </summary>
public sealed class DestinationClearance(string operationId, ReturnOperationState state)
{
    private OperationPlan Plan => state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");

    /// <summary>Shares the manifest once booking has closed; what to send, empty when it was shared already.</summary>
    public List<Notice> Share(Caller caller)
    {
        if (!caller.IsCoordinatorOf(Plan.Organiser))
        {
            throw new AccessDeniedException("Only the organiser shares the manifest.");
        }
        if (state.Status is not (OperationStatus.BookingClosed or OperationStatus.Confirmed or OperationStatus.Departed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The manifest is shared once booking has closed, until the operation ends.");
        }
        if (state.ManifestShared)
        {
            return [];
        }
        state.ManifestShared = true;
        // Each destination's system learns it may now fetch and pre-clear the manifest.
        return [.. Plan.Destinations.Select(d => new Notice(Destination.Country(d), new Notification("manifest.shared", Country: d, Status: state.Status.ToString())))];
    }

    /// <summary>A destination's partner clears or rejects the current manifest; the organiser learns of it.</summary>
    public List<Notice> Clear(Caller caller, ClearanceDecision decision)
    {
        if (caller.Role != Caller.Partner || caller.Country is not { } destination || !Plan.Destinations.Contains(destination))
        {
            throw new ResourceNotFoundException($"Operation {operationId} not found.");
        }
        if (state.Status is not (OperationStatus.BookingClosed or OperationStatus.Confirmed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "A manifest is cleared after booking closes and before departure.");
        }
        if (!state.ManifestShared)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The organiser has not shared the manifest with the destinations yet.");
        }
        Check(decision);
        state.Clearances[destination] = new ClearanceRecord
        {
            Cleared = decision.Cleared && decision.RejectedReturnees.Count == 0,
            RejectedReturnees = [.. decision.RejectedReturnees],
            Reason = decision.Reason,
            ManifestVersion = state.ManifestVersion,
        };
        var verdict = decision.Cleared && decision.RejectedReturnees.Count == 0 ? "manifest.cleared" : "manifest.rejected";
        var notices = new List<Notice> { new(Destination.Country(Plan.Organiser), new Notification(verdict,
            Country: destination, Reason: decision.Reason, Seats: decision.RejectedReturnees.Count)) };
        if (verdict == "manifest.rejected")
        {
            // The board raises the alert: the secretariat learns that, and how many, never who or why (rule 16).
            notices.Add(new(Destination.Role(Caller.Secretariat), new Notification(verdict, Country: destination, Seats: decision.RejectedReturnees.Count)));
        }
        return notices;
    }

    /// <summary>
    /// The rejections that hold the departure back (issue 24): a destination's rejection stands until it clears again, the
    /// people it names are off the manifest, or the organiser overrides it with a reason. A rejection of the whole manifest
    /// names nobody, so only a new clearance or an override ends it.
    /// </summary>
    public IReadOnlyList<string> Outstanding()
    {
        var onBoard = OnManifest();
        return [.. state.Clearances.Where(c => !c.Value.Cleared && c.Value.OverriddenBecause is null
                && (c.Value.RejectedReturnees.Count == 0 || c.Value.RejectedReturnees.Any(onBoard.Contains)))
            .Select(c => c.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>A departure with a rejection outstanding needs the organiser's override with a reason.</summary>
    public void CheckDeparture(StatusChange change)
    {
        if (Outstanding() is { Count: > 0 } rejecting && !(change.OverrideClearance && !string.IsNullOrWhiteSpace(change.Reason)))
        {
            throw new DomainRuleException(RuleCode.ManifestClearance, $"Rejected by {string.Join(", ", rejecting)}: the departure waits until the " +
                "destination clears the manifest again or the rejected people are removed, or the organiser overrides with a reason.");
        }
    }

    /// <summary>The organiser went on despite the rejections outstanding: each keeps the reason, and no longer holds anything back.</summary>
    public void Override(string? reason)
    {
        foreach (var destination in Outstanding())
        {
            state.Clearances[destination].OverriddenBecause = reason;
        }
    }

    /// <summary>Every destination cleared the current manifest version and rejected nobody who is on board.</summary>
    public bool ByEveryDestination()
    {
        var onBoard = OnManifest();
        return Plan.Destinations.All(d => state.Clearances.TryGetValue(d, out var c)
            && c.Cleared && c.ManifestVersion == state.ManifestVersion && !c.RejectedReturnees.Any(onBoard.Contains));
    }

    /// <summary>
    /// A refusal names people on the current manifest and says why: the organiser must know whom to take off and the reason
    /// to pass on; an unknown id would otherwise be stored as a refusal of no one.
    /// </summary>
    private void Check(ClearanceDecision decision)
    {
        var onManifest = OnManifest();
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

    private HashSet<string> OnManifest() =>
        state.Bookings.Where(b => b.Status == BookingStatus.Confirmed).SelectMany(b => b.Travelling).Select(r => r.Id).ToHashSet();
}
