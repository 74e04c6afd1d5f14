using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>Rule 16, the manifest per viewer: which confirmed bookings a caller sees, and how their people and staff read.</summary>
public static class ManifestScope
{
    /// <summary>
    /// The organiser sees all; a participant its own; a destination's partner all, once the organiser shared it;
    /// an assigned monitor all; the secretariat counts only. Others learn nothing, not even that it exists.
    /// </summary>
    public static List<Booking> Visible(Caller caller, ReturnOperationState state, string operationId)
    {
        var plan = state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");
        var confirmed = state.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        if (caller.Role == Caller.Secretariat)
        {
            throw new AccessDeniedException("The secretariat sees counts, not manifests.");
        }
        if (caller.IsCoordinatorOf(plan.Organiser) || (caller.Role == Caller.Monitor && state.AssignedMonitors.Contains(caller.Subject)))
        {
            return confirmed;
        }
        if (caller.Role == Caller.Partner && caller.Country is { } destination && plan.Destinations.Contains(destination)
            && state.ManifestShared && state.Status != OperationStatus.Cancelled)
        {
            return confirmed;
        }
        if (caller.Role == Caller.Coordinator && state.Bookings.Any(b => b.Country == caller.Country))
        {
            return [.. confirmed.Where(b => b.Country == caller.Country)];
        }
        throw new ResourceNotFoundException($"Operation {operationId} not found.");
    }

    /// <summary>A returnee's manifest line from its case; an empty line when the case is gone.</summary>
    public static ManifestEntry Entry(Booking booking, ReturneeView? returnee) => returnee?.Case is { } c
        ? new ManifestEntry(returnee.Id, booking.Country, booking.Id, c.Nationality, c.BirthYear, c.Sex, c.FamilyGroup, c.UnaccompaniedMinor,
            c.ReceptionArrangement, c.MedicalFlag, c.Vulnerabilities, c.Voluntary)
        : new ManifestEntry(returnee?.Id ?? "", booking.Country, booking.Id, null, null, null, null, false, null, false, [], false);

    /// <summary>The staff lines; members in full to their country and the organiser, reference and role to the others.</summary>
    public static List<StaffLine> StaffLines(Caller caller, string organiser, IEnumerable<Booking> visible) =>
        [.. visible.GroupBy(b => b.Country).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var full = caller.IsCoordinatorOf(organiser) || caller.IsCoordinatorOf(g.Key);
            return new StaffLine(g.Key, g.Sum(b => b.Escorts), g.Sum(b => b.Medical), g.Sum(b => b.Monitors), g.Sum(b => b.Interpreters), g.Sum(b => b.Observers),
                [.. g.SelectMany(b => b.Staff).Select(m => new ManifestStaffMember(m.Reference, m.Role, full ? m.TravelDocumentValidUntil : null))]);
        })];
}
