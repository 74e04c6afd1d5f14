using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// No-shows: a returnee on the final manifest who did not board. Recorded after departure by the organiser (it runs the
/// boarding) or the returnee's own country (its escorts bring the person to the airport); the returnee is freed for a later operation.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<NoShowView> RecordNoShow(Caller caller, string returneeId, NoShowReason reason, long? expectedVersion = null)
    {
        _ = Plan;
        if (S.NoShows.Find(n => n.ReturneeId.Length > 0 && n.ReturneeId == returneeId) is { } recorded && MayRecordFor(caller, recorded.Country))
        {
            if (recorded.Reason != reason)
            {
                throw new DomainRuleException(RuleCode.InvalidTransition, $"Returnee {returneeId} is already recorded as a no-show ({recorded.Reason}).");
            }
            // A repeated request: answer as the first time, and release again in case the first turn stopped before it.
            await Returnee(returneeId).Release(new BookingRef(Id, recorded.BookingId));
            return ViewOf(recorded);
        }
        var booking = S.Bookings.Find(b => b.Status == BookingStatus.Confirmed && b.Travelling.Any(r => r.Id == returneeId));
        if (booking is null || !MayRecordFor(caller, booking.Country))
        {
            throw new ResourceNotFoundException($"Returnee {returneeId} is not on the manifest of operation {Id}.");
        }
        CheckExpectedVersion(expectedVersion);
        if (!Enum.IsDefined(reason))
        {
            throw new DomainRuleException(RuleCode.Validation, "Unknown no-show reason.");
        }
        if (S.Status is not (OperationStatus.Departed or OperationStatus.Completed) || S.PersonalDataErased)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "No-shows are recorded after departure, until retention erases the manifest.");
        }
        var noShow = new NoShowRecord { ReturneeId = returneeId, BookingId = booking.Id, Country = booking.Country, Reason = reason, RecordedAt = clock.GetUtcNow() };
        // Off the manifest (it did not fly); the booking's seat counts stay, as the seat was held and paid for.
        booking.Returnees.RemoveAll(r => r.Id == returneeId);
        S.NoShows.Add(noShow);
        NotifyNoShow(noShow);
        await Save();
        // After the write: the owning state may book the person again on another operation.
        await Returnee(returneeId).Release(new BookingRef(Id, booking.Id));
        return ViewOf(noShow);
    }

    private bool MayRecordFor(Caller caller, string country) => IsOrganiser(caller) || caller.IsCoordinatorOf(country);

    /// <summary>The owning state learns which of its returnees; the organiser and the secretariat get counts only (rule 16).</summary>
    private void NotifyNoShow(NoShowRecord noShow)
    {
        var count = S.NoShows.Count(n => n.Country == noShow.Country);
        var body = new Notification("noshow.recorded", BookingId: noShow.BookingId, Country: noShow.Country, Reason: noShow.Reason.ToString(), Seats: count);
        Notify(Destination.Country(noShow.Country), body with { ReturneeId = noShow.ReturneeId });
        if (noShow.Country != Plan.Organiser)
        {
            Notify(Destination.Country(Plan.Organiser), body);
        }
        Notify(Destination.Role(Caller.Secretariat), body);
    }

    private static NoShowView ViewOf(NoShowRecord n) => new(n.ReturneeId, n.BookingId, n.Country, n.Reason, n.RecordedAt);
}
