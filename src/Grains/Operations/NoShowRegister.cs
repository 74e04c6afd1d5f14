using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// No-shows: a returnee on the final manifest who did not board. Recorded after departure by the organiser (it runs the
/// boarding) or the returnee's own country (its escorts bring the person to the airport); the grain frees the returnee.
/// </summary>
public sealed class NoShowRegister(string operationId, ReturnOperationState state)
{
    private OperationPlan Plan => state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");

    /// <summary>The no-show recorded already for this returnee, if the caller may see it; the same reason again is a repeat.</summary>
    public NoShowRecord? Recorded(Caller caller, string returneeId, NoShowReason reason)
    {
        if (state.NoShows.Find(n => n.ReturneeId.Length > 0 && n.ReturneeId == returneeId) is not { } recorded || !MayRecordFor(caller, recorded.Country))
        {
            return null;
        }
        return recorded.Reason == reason
            ? recorded
            : throw new DomainRuleException(RuleCode.InvalidTransition, $"Returnee {returneeId} is already recorded as a no-show ({recorded.Reason}).");
    }

    /// <summary>The confirmed booking the returnee travels in, if the caller may record for it; others learn nothing.</summary>
    public Booking OnManifest(Caller caller, string returneeId) =>
        state.Bookings.Find(b => b.Status == BookingStatus.Confirmed && b.Travelling.Any(r => r.Id == returneeId)) is { } booking && MayRecordFor(caller, booking.Country)
            ? booking
            : throw new ResourceNotFoundException($"Returnee {returneeId} is not on the manifest of operation {operationId}.");

    /// <summary>Takes the returnee off the manifest as a no-show; the booking's seat counts stay, as the seat was held and paid for.</summary>
    public (NoShowRecord NoShow, List<Notice> Notices) Record(Booking booking, string returneeId, NoShowReason reason, DateTimeOffset now)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new DomainRuleException(RuleCode.Validation, "Unknown no-show reason.");
        }
        if (state.Status is not (OperationStatus.Departed or OperationStatus.Completed) || state.PersonalDataErased)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "No-shows are recorded after departure, until retention erases the manifest.");
        }
        var noShow = new NoShowRecord
        {
            ReturneeId = returneeId, BookingId = booking.Id, Country = booking.Country, Reason = reason, RecordedAt = now,
            Returnee = booking.Returnees.Find(r => r.Id == returneeId),
        };
        booking.Returnees.RemoveAll(r => r.Id == returneeId);
        state.NoShows.Add(noShow);
        return (noShow, Notices(noShow));
    }

    public static NoShowView View(NoShowRecord n) => new(n.ReturneeId, n.BookingId, n.Country, n.Reason, n.RecordedAt);

    private bool MayRecordFor(Caller caller, string country) => caller.IsCoordinatorOf(Plan.Organiser) || caller.IsCoordinatorOf(country);

    /// <summary>The owning state learns which of its returnees; the organiser and the secretariat get counts only (rule 16).</summary>
    private List<Notice> Notices(NoShowRecord noShow)
    {
        var count = state.NoShows.Count(n => n.Country == noShow.Country);
        var body = new Notification("noshow.recorded", BookingId: noShow.BookingId, Country: noShow.Country, Reason: noShow.Reason.ToString(), Seats: count);
        var notices = new List<Notice> { new(Destination.Country(noShow.Country), body with { ReturneeId = noShow.ReturneeId }) };
        if (noShow.Country != Plan.Organiser)
        {
            notices.Add(new(Destination.Country(Plan.Organiser), body));
        }
        notices.Add(new(Destination.Role(Caller.Secretariat), body));
        return notices;
    }
}
