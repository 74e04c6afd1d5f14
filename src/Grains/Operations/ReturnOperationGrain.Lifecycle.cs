using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>The lifecycle with a guard on every step, the booking deadline and retention reminders.</summary>
public sealed partial class ReturnOperationGrain
{
    internal const string DeadlineReminder = "booking-deadline";
    internal const string RetentionReminder = "retention";

    private static readonly Dictionary<OperationStatus, OperationStatus[]> s_next = new()
    {
        [OperationStatus.Draft] = [OperationStatus.Announced, OperationStatus.Cancelled],
        [OperationStatus.Announced] = [OperationStatus.BookingClosed, OperationStatus.Cancelled],
        [OperationStatus.BookingClosed] = [OperationStatus.Confirmed, OperationStatus.Cancelled],
        [OperationStatus.Confirmed] = [OperationStatus.Departed, OperationStatus.Cancelled],
        [OperationStatus.Departed] = [OperationStatus.Completed],
        [OperationStatus.Completed] = [],
        [OperationStatus.Cancelled] = [],
    };

    public async Task<OperationView> ChangeStatus(Caller caller, StatusChange change, long? expectedVersion = null)
    {
        _ = Plan;
        CheckExpectedVersion(expectedVersion);
        if (!IsOrganiser(caller))
        {
            throw new AccessDeniedException("Only the organiser moves the operation's lifecycle.");
        }
        if (!s_next[S.Status].Contains(change.To))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"An operation cannot go from {S.Status} to {change.To}.");
        }
        if (change.To == OperationStatus.Announced && clock.GetUtcNow() >= Plan.BookingDeadline)
        {
            throw new DomainRuleException(RuleCode.BookingClosed, "The booking deadline has passed; the operation cannot be announced.");
        }
        if (change.To == OperationStatus.Confirmed)
        {
            await CheckConfirmation(change);
        }
        await MoveTo(change.To, change.Reason);
        return View();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DeadlineReminder && S.Status == OperationStatus.Announced && clock.GetUtcNow() >= Plan.BookingDeadline)
        {
            await MoveTo(OperationStatus.BookingClosed, "booking deadline");
        }
        else if (reminderName == RetentionReminder && S.EndedAt is { } ended && clock.GetUtcNow() >= ended.AddDays(options.RetentionDays))
        {
            if (!S.PersonalDataErased)
            {
                await EraseReturnees();
            }
            await ForgetReminder(RetentionReminder);
        }
    }

    private async Task MoveTo(OperationStatus to, string? reason)
    {
        S.Status = to;
        switch (to)
        {
            case OperationStatus.Announced:
                await RemindIn(DeadlineReminder, Plan.BookingDeadline - clock.GetUtcNow());
                break;
            case OperationStatus.BookingClosed:
                await ForgetReminder(DeadlineReminder);
                break;
            case OperationStatus.Confirmed:
                S.OverrideReason = S.OverrideReason is null && !ClearedByEveryDestination() ? reason : S.OverrideReason;
                break;
            case OperationStatus.Departed:
                await ReleaseLeftBehind();
                break;
            case OperationStatus.Completed or OperationStatus.Cancelled:
                await End(to, reason);
                break;
        }
        var body = new Notification("operation." + to.ToString().ToLowerInvariant(), Status: to.ToString(), Reason: reason);
        foreach (var country in Plan.Destinations.Concat(S.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Select(b => b.Country))
            .Append(Plan.Organiser).Distinct())
        {
            Notify(Destination.Country(country), body);
        }
        Notify(Destination.Role(Caller.Secretariat), body);
        await Save();
    }

    /// <summary>Rules 7, 9, 13, the re-check of rules 1-6, 8 and 21 for every confirmed returnee, voluntary-only and rule 6 for staff.</summary>
    private async Task CheckConfirmation(StatusChange change)
    {
        var violations = new List<RuleViolation>();
        var confirmed = S.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        var assessed = await Task.WhenAll(confirmed.SelectMany(b => b.Travelling).Select(r => Returnee(r.Id).Assess(Context())));
        // Forced or voluntary as the cases say now: a case that turned forced since booking needs its escorts too (rule 8).
        var forcedNow = assessed.ToDictionary(r => r.ReturneeId, r => r.Forced);
        var forced = 0;
        foreach (var booking in confirmed)
        {
            var forcedInBooking = booking.Travelling.Count(r => forcedNow[r.Id]);
            forced += forcedInBooking;
            violations.AddRange(BookingRules.Escorts(Plan, S.EscortsPerReturnee, booking, forcedInBooking).Select(v => v with { Detail = $"Booking {booking.Id}: {v.Detail}" }));
        }
        if (forced > 0 && S.AssignedMonitors.Count == 0 && confirmed.Sum(b => b.Monitors) == 0)
        {
            violations.Add(new(RuleCode.MonitorRequired, "A forced-return operation needs at least one forced-return monitor."));
        }
        var organiserEscorts = confirmed.Where(b => b.Country == Plan.Organiser).Sum(b => b.Escorts);
        var allEscorts = EscortRatio.Required(Plan.Type, S.EscortsPerReturnee, forced);
        if (Plan.OrganiserSuppliesEscorts && organiserEscorts < allEscorts)
        {
            violations.Add(new(RuleCode.EscortRatio, $"The organiser supplies the escorts: {allEscorts} are needed, it booked {organiserEscorts}."));
        }
        if (Plan.Type != OperationType.ScheduledFlight && confirmed.Sum(b => b.Medical) == 0)
        {
            violations.Add(new(RuleCode.MedicalStaff, "A charter needs at least one medical staff member."));
        }
        if (!ClearedByEveryDestination() && !(change.OverrideClearance && !string.IsNullOrWhiteSpace(change.Reason)))
        {
            violations.Add(new(RuleCode.ManifestClearance, "Every destination must clear the current manifest, or the organiser overrides with a reason."));
        }
        violations.AddRange(assessed.SelectMany(r => r.Violations.Select(v => v with { Detail = $"{r.ReturneeId}: {v.Detail}" })));
        violations.AddRange(BookingRules.VoluntaryOnly(Plan, assessed));
        violations.AddRange(BookingRules.DestinationOfReturn(Plan, assessed));
        violations.AddRange(CheckStaffNamed(confirmed));
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
    }

    private bool ClearedByEveryDestination()
    {
        var onBoard = S.Bookings.Where(b => b.Status == BookingStatus.Confirmed).SelectMany(b => b.Travelling).Select(r => r.Id).ToHashSet();
        return Plan.Destinations.All(d => S.Clearances.TryGetValue(d, out var c)
            && c.Cleared && c.ManifestVersion == S.ManifestVersion && !c.RejectedReturnees.Any(onBoard.Contains));
    }

    /// <summary>Completed or cancelled: retention starts (rule 15); a cancelled operation frees its returnees for another one.</summary>
    private async Task End(OperationStatus to, string? reason)
    {
        S.EndedAt = clock.GetUtcNow();
        if (to == OperationStatus.Cancelled)
        {
            S.CancelReason = reason;
            await Task.WhenAll(S.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Select(ReleaseAll));
        }
        await ForgetReminder(DeadlineReminder);
        await RemindIn(RetentionReminder, TimeSpan.FromDays(options.RetentionDays));
    }

    /// <summary>
    /// Departure: returnees who did not board (waitlisted, suspended) are let go, so that their state can book them on a later
    /// operation; retention then spares them if it does so in time.
    /// </summary>
    private Task ReleaseLeftBehind() =>
        Task.WhenAll(S.Bookings.Where(b => b.Status != BookingStatus.Cancelled)
            .SelectMany(b => b.Returnees.Where(r => b.Status != BookingStatus.Confirmed || r.Suspended).Select(r => (Booking: b, r.Id)))
            .Select(left => Returnee(left.Id).Release(new BookingRef(Id, left.Booking.Id))));

    /// <summary>Erases the returnees' personal data and forgets their ids; the counts stay.</summary>
    private async Task EraseReturnees()
    {
        // No-shows too: the person was on this manifest; one rebooked on another operation meanwhile is spared.
        await Task.WhenAll(S.Bookings.SelectMany(b => b.Returnees).Select(r => r.Id).Concat(S.NoShows.Select(n => n.ReturneeId)).Where(id => id.Length > 0)
            .Select(id => Returnee(id).Erase(unlessBookedElsewhereThan: Id)));
        foreach (var booking in S.Bookings)
        {
            booking.Returnees = [];
        }
        S.NoShows.ForEach(n => n.ReturneeId = "");
        S.Clearances.Values.ToList().ForEach(c => c.RejectedReturnees.Clear());
        S.PersonalDataErased = true;
        await Save();
    }
}
