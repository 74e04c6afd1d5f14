using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Rules;
using ReturnOps.Grains.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Returnees;

[GrainType("returnee")]
public sealed partial class ReturneeGrain([PersistentState("state", ReturneeStateStorage.Name)] IPersistentState<ReturneeState> state, [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : DomainGrain, IReturneeGrain
{
    private ReturneeState S => state.State;

    /// <summary>
    /// The booking that holds the returnee (issue 22): its row is the operation's (<see cref="ReturneeHolds"/>), read when the
    /// grain activates; a reservation holds it here at once, before the operation's batch stores the row.
    /// </summary>
    private ReturneeHolds.Hold? _hold;

    /// <summary>When <see cref="_hold"/> was last read from its row or taken (a timestamp of the real clock: commits take real time).</summary>
    private long _holdSeen;

    /// <summary>
    /// False after a release: whatever let the returnee go (a stored cancellation, a refused or failed batch), its row is the
    /// truth, read before the next reservation. A batch that failed on another activation's row (the backstop) so learns of it.
    /// </summary>
    private bool _holdKnown;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Read with the state, in its statement.
        _hold = S.Owner is null ? null : S.StoredHold;
        _holdSeen = TimeProvider.System.GetTimestamp();
        _holdKnown = true;
        await base.OnActivateAsync(cancellationToken);
    }

    private IStorageProvider Storage => ServiceProvider.GetRequiredService<IStorageProvider>();

    /// <summary>
    /// The hold as stored now: the row read again, unless a hold taken here moments ago is not stored yet (its operation's batch
    /// is in flight; a batch commits in milliseconds, so one older than <see cref="ReturneeHolds.Recheck"/> without a row never will).
    /// </summary>
    private async Task<ReturneeHolds.Hold?> StoredHoldAsync()
    {
        var row = await ReturneeHolds.OfAsync(Storage, GetPrimaryKeyString());
        if (row is null && _hold is not null && TimeProvider.System.GetElapsedTime(_holdSeen) < ReturneeHolds.Recheck)
        {
            return _hold;
        }
        _hold = row;
        _holdSeen = TimeProvider.System.GetTimestamp();
        _holdKnown = true;
        return row;
    }

    public async Task<ReturneeView> Register(string owner, ReturneeCase returnee)
    {
        if (S.Owner is not null)
        {
            return S.Owner == owner && SameCase(S.Case, returnee) ? View() : throw new DomainRuleException(RuleCode.Validation, "This returnee id is already registered.");
        }
        Validate(returnee);
        await MoveFamily(owner, null, returnee.FamilyGroup);
        S.Owner = owner;
        S.Case = returnee;
        await Save();
        return View();
    }

    public async Task<ReturneeUpdate> Update(string owner, ReturneeCase returnee)
    {
        if (S.Owner != owner || S.Case is null)
        {
            throw new ResourceNotFoundException($"Returnee {GetPrimaryKeyString()} not found.");
        }
        Validate(returnee);
        var familyChanged = S.Case.FamilyGroup != returnee.FamilyGroup;
        await MoveFamily(owner, S.Case.FamilyGroup, returnee.FamilyGroup);
        S.Case = returnee;
        List<RuleViolation> violations = _hold?.For is not { } bookedFor ? [] : Violations(returnee, bookedFor);
        if (_hold is not null && familyChanged)
        {
            // The booking was accepted for the family as it was (rule 4); a new family must be booked anew.
            violations.Add(new RuleViolation(RuleCode.FamilyUnity, "The family group changed after booking."));
        }
        var suspended = WarnIfIneligible(owner, violations);
        await Save();
        return new ReturneeUpdate(View(), suspended, violations);
    }

    public async Task<ReturneeUpdate> RecordTravelDocument(string owner, DateOnly validUntil)
    {
        if (S.Owner != owner || S.Case is null)
        {
            throw S.Erased && S.Owner == owner
                ? new DomainRuleException(RuleCode.InvalidTransition, "The returnee's case was erased.")
                : new ResourceNotFoundException($"Returnee {GetPrimaryKeyString()} not found.");
        }
        if (S.Case.TravelDocumentValidUntil == validUntil)
        {
            // A repeated record (a retried issue): the first one already warned, and its outbox message is durable.
            return new ReturneeUpdate(View(), null, []);
        }
        S.Case = S.Case with { TravelDocumentValidUntil = validUntil };
        List<RuleViolation> violations = _hold?.For is not { } bookedFor ? [] : Violations(S.Case, bookedFor);
        var suspended = WarnIfIneligible(owner, violations);
        await Save();
        return new ReturneeUpdate(View(), suspended, violations);
    }

    /// <summary>The early warning (rule 2): a one-way message up to the operation, never a call back into it. Returns the booking suspended.</summary>
    private BookingRef? WarnIfIneligible(string owner, List<RuleViolation> violations)
    {
        var suspended = violations.Count > 0 ? _hold?.Booking : null;
        if (suspended is not null)
        {
            var now = clock.GetUtcNow();
            var body = new Notification("returnee.ineligible", suspended.OperationId, suspended.BookingId, owner,
                Rules: [.. violations.Select(v => v.Rule)]);
            EnqueueMessage(Outbox.Message(Destination.Grain("return-operation", suspended.OperationId), suspended.OperationId, body.Subject,
                body with { ReturneeId = GetPrimaryKeyString() }, now));
            EnqueueMessage(Outbox.Message(Destination.Country(owner), suspended.OperationId, body.Subject, body, now));
        }
        return suspended;
    }

    public Task<IReadOnlyList<string>> IdentificationRequests() => Task.FromResult<IReadOnlyList<string>>([.. S.IdentificationRequests]);

    public Task<ReturneeView?> Get() => Task.FromResult(S.Owner is null ? null : View());

    public Task<Reservation> Assess(EligibilityContext context) => Task.FromResult(Judge(context, reserved: false));

    public async Task<Reservation> Reserve(BookingRef booking, string bookingCountry, EligibilityContext context)
    {
        if (S.Owner is null || S.Owner != bookingCountry)
        {
            return Refuse(RuleCode.Validation, "Returnee not found for this country.");
        }
        // The whole judgment comes back even when the returnee is not reserved: the operation checks the booking's own
        // rules (escorts for the forced, families, destinations) on it and names every violation in one refusal.
        var judged = Judge(context, reserved: false);
        if (judged.Violations.Count > 0)
        {
            return judged;
        }
        if (!_holdKnown || (_hold is not null && _hold.Booking != booking && TimeProvider.System.GetElapsedTime(_holdSeen) >= ReturneeHolds.Recheck))
        {
            // Released since the last read, or a hold not seen stored for a while (its booking may have ended or never been stored).
            await StoredHoldAsync();
        }
        if (_hold is not null && _hold.Booking != booking)
        {
            return judged with { Violations = [new RuleViolation(RuleCode.AlreadyBooked, "The returnee already holds a seat in another booking.")] };
        }
        if (_hold is null)
        {
            // Held in memory only: the operation stores the hold with the booking, in its batch (no write here).
            _hold = new ReturneeHolds.Hold(booking, context);
            _holdSeen = TimeProvider.System.GetTimestamp();
        }
        return judged with { Reserved = true };
    }

    public Task Release(BookingRef booking, bool stored = false)
    {
        if (_hold?.Booking == booking)
        {
            _hold = null;
            _holdKnown = stored;
            if (Status() != ReturneeStatus.Available)
            {
                // The operation's write listed the returnee as available; its own rules say otherwise (TurnFilter writes this).
                WriteListRow();
            }
        }
        return Task.CompletedTask;
    }

    public async Task<bool> Erase(string? unlessBookedElsewhereThan)
    {
        if (S.Erased || S.Owner is null)
        {
            return false;
        }
        var hold = await StoredHoldAsync();
        if (unlessBookedElsewhereThan is not null && hold is not null && hold.Booking.OperationId != unlessBookedElsewhereThan)
        {
            return false;
        }
        if (unlessBookedElsewhereThan is null && hold is not null)
        {
            // An owner's erasure request while a booking holds the case would leave a blank seat on a manifest.
            throw new DomainRuleException(RuleCode.InvalidTransition, "The returnee is booked; cancel the booking before erasing the case.");
        }
        if (S.Case?.FamilyGroup is { } group)
        {
            await GrainFactory.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(S.Owner, group)).Leave(GetPrimaryKeyString());
        }
        // A referral's text about the person goes with the case; its steps and amounts stay as counts (rule 18).
        await EraseReferrals();
        // Requests opened before the case kept its list are found by their list rows, so that the erasure reaches them too.
        var about = await IdentificationSchema.RequestsAboutAsync(ServiceProvider.GetRequiredService<IStorageProvider>().DataSource, S.Owner, GetPrimaryKeyString());
        S.IdentificationRequests.AddRange(about.Except(S.IdentificationRequests, StringComparer.Ordinal));
        // An identification request calls the case (and through it the operation), so it is never called from here: a durable
        // message in the same write as the erasure reaches it, and the caller relays at once (CaseErasure).
        foreach (var request in S.IdentificationRequests)
        {
            EnqueueMessage(Outbox.Message(Destination.Grain(IdentificationRequestGrain.Route, request), request, "returnee.erased",
                new Notification("returnee.erased", ReturneeId: GetPrimaryKeyString()), clock.GetUtcNow()));
        }
        // Only the owner and the fact of erasure remain: statistics were counted elsewhere, as numbers.
        S.Consent = null;
        S.Case = null;
        _hold = null;
        S.Readmission.Clear();
        S.Erased = true;
        await Save();
        return true;
    }

    public async Task RecordIdentificationRequest(string requestId)
    {
        if (S.Erased || S.Owner is null)
        {
            // Erased between the request's check and this call: no request may be opened about it.
            throw new ResourceNotFoundException($"Returnee {GetPrimaryKeyString()} not found.");
        }
        if (S.IdentificationRequests.Contains(requestId))
        {
            return;
        }
        S.IdentificationRequests.Add(requestId);
        await Save();
    }

    public async Task RecordReadmission(string destination, string status)
    {
        if (S.Erased || S.Readmission.GetValueOrDefault(destination) == status)
        {
            return;
        }
        S.Readmission[destination] = status;
        await Save();
    }

    private async Task MoveFamily(string owner, string? from, string? to)
    {
        if (from == to)
        {
            return;
        }
        var id = GetPrimaryKeyString();
        if (to is not null)
        {
            await GrainFactory.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(owner, to)).Join(id);
        }
        if (from is not null)
        {
            await GrainFactory.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(owner, from)).Leave(id);
        }
    }

    private Reservation Judge(EligibilityContext context, bool reserved) => S.Case is null
        ? Refuse(RuleCode.Validation, "The returnee's data was erased.")
        : new Reservation(GetPrimaryKeyString(), reserved, Violations(S.Case, context), S.Owner!, S.Case.FamilyGroup, !S.Case.Voluntary,
            [S.Case.Nationality, .. S.Readmission.Where(r => r.Value == Eligibility.Accepted).Select(r => r.Key).Order(StringComparer.Ordinal)]);

    private Reservation Refuse(string rule, string detail) =>
        new(GetPrimaryKeyString(), false, [new RuleViolation(rule, detail)], S.Owner ?? "", null, false, null);

    private ReturneeStatus Status() => S.Erased ? ReturneeStatus.Erased
        : _hold is not null ? ReturneeStatus.Booked
        : CurrentViolations().Count > 0 ? ReturneeStatus.Ineligible
        : ReturneeStatus.Available;

    /// <summary>Without a booking, eligibility is judged as if departing today to no particular destination.</summary>
    private IReadOnlyList<RuleViolation> CurrentViolations() => S.Case is null ? []
        : Violations(S.Case, _hold?.For ?? new EligibilityContext(clock.GetUtcNow(), [], GrainsOptions.DefaultFitToTravelWindowDays));

    private ReturneeView View() =>
        new(GetPrimaryKeyString(), S.Owner!, Status(), S.Case, _hold?.Booking, new Dictionary<string, string>(S.Readmission), CurrentViolations());

    private Task Save()
    {
        // Holds stored before issue 22 were copied to their rows (migration holds/1): the state no longer keeps them.
        S.Booking = null;
        S.BookedFor = null;
        WriteListRow();
        return state.WriteStateAsync();
    }

    private void WriteListRow() =>
        WriteReadModel(ReadModelSchema.ReturneeRow(GetPrimaryKeyString(), S.Owner!, Status(), _hold?.Booking.OperationId, S.Erased ? null : S.Case, clock.GetUtcNow()));

    /// <summary>Record equality compares lists by reference; a retried registration carries a new list.</summary>
    private static bool SameCase(ReturneeCase? a, ReturneeCase b) =>
        a is not null && a with { Vulnerabilities = [] } == b with { Vulnerabilities = [] } && a.Vulnerabilities.SequenceEqual(b.Vulnerabilities);

    private static void Validate(ReturneeCase c)
    {
        if (string.IsNullOrWhiteSpace(c.Reference) || c.Nationality.Length != 2 || c.BirthYear is < 1900 or > 2100)
        {
            throw new DomainRuleException(RuleCode.Validation, "A case needs a reference, a two-letter nationality and a plausible birth year.");
        }
    }
}
