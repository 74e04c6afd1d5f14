using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The lifecycle (<see cref="OperationLifecycle"/>, <see cref="ConfirmationRules"/>): the grain judges the returnees again before
/// a confirmation, and keeps the booking deadline and retention reminders and the releases a move asks for.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    internal const string DeadlineReminder = "booking-deadline";
    internal const string RetentionReminder = "retention";

    private OperationLifecycle Lifecycle => new(Id, S);

    public async Task<OperationView> ChangeStatus(Caller caller, StatusChange change, long? expectedVersion = null)
    {
        _ = Plan;
        CheckExpectedVersion(expectedVersion);
        Lifecycle.Check(caller, change, clock.GetUtcNow());
        if (change.To == OperationStatus.Confirmed)
        {
            var assessed = await Task.WhenAll(ConfirmationRules.ToAssess(S).Select(id => Returnee(id).Assess(Context())));
            ConfirmationRules.Check(Id, S, assessed, change);
        }
        await MoveTo(change.To, change.Reason);
        return View();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DeadlineReminder && Lifecycle.DeadlinePassed(clock.GetUtcNow()))
        {
            await MoveTo(OperationStatus.BookingClosed, "booking deadline");
        }
        else if (reminderName == RetentionReminder && Retention.Due(S, clock.GetUtcNow(), options.RetentionDays))
        {
            if (!S.PersonalDataErased)
            {
                await Task.WhenAll(Retention.Returnees(S).Select(id => Returnee(id).Erase(unlessBookedElsewhereThan: Id)));
                Retention.Erase(S);
                await Save();
            }
            await ForgetReminder(RetentionReminder);
        }
    }

    private async Task MoveTo(OperationStatus to, string? reason)
    {
        var letGo = Lifecycle.LetGo(to);
        var notices = Lifecycle.Move(to, reason, clock.GetUtcNow());
        await Task.WhenAll(letGo.Select(r => Returnee(r.ReturneeId).Release(new BookingRef(Id, r.BookingId))));
        switch (to)
        {
            case OperationStatus.Announced:
                await RemindIn(DeadlineReminder, Plan.BookingDeadline - clock.GetUtcNow());
                break;
            case OperationStatus.BookingClosed:
                await ForgetReminder(DeadlineReminder);
                break;
            case OperationStatus.Completed or OperationStatus.Cancelled:
                // Retention starts (rule 15).
                await ForgetReminder(DeadlineReminder);
                await RemindIn(RetentionReminder, TimeSpan.FromDays(options.RetentionDays));
                break;
        }
        Send(notices);
        await Save();
    }
}
