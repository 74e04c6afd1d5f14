using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The lifecycle (<see cref="OperationLifecycle"/>, <see cref="ConfirmationRules"/>): the grain judges the returnees again before
/// a confirmation, and keeps the booking deadline and retention reminders and the releases a move asks for.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    private OperationLifecycle Lifecycle => new(Id, S);

    public async Task<OperationView> ChangeStatus(Caller caller, StatusChange change, long? expectedVersion = null)
    {
        _ = Plan;
        Bookings.CheckRevision(expectedVersion);
        Lifecycle.Check(caller, change, clock.GetUtcNow());
        if (change.To == OperationStatus.Confirmed)
        {
            var assessed = await Returnees.Assess(ConfirmationRules.ToAssess(S), Context());
            ConfirmationRules.Check(Id, S, assessed, change);
        }
        await MoveTo(change.To, change.Reason);
        return View();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == OperationLifecycle.DeadlineReminder && Lifecycle.DeadlinePassed(clock.GetUtcNow()))
        {
            await MoveTo(OperationStatus.BookingClosed, "booking deadline");
        }
        else if (reminderName == OperationLifecycle.RetentionReminder && Retention.Due(S, clock.GetUtcNow(), options.RetentionDays))
        {
            if (!S.PersonalDataErased)
            {
                await Returnees.Erase(Retention.Returnees(S));
                Retention.Erase(S);
                await Save();
            }
            await ForgetReminder(OperationLifecycle.RetentionReminder);
        }
    }

    private async Task MoveTo(OperationStatus to, string? reason)
    {
        var letGo = Lifecycle.LetGo(to);
        var notices = Lifecycle.Move(to, reason, clock.GetUtcNow());
        await Returnees.Release(letGo);
        foreach (var (name, dueIn) in Lifecycle.Reminders(to, clock.GetUtcNow(), options.RetentionDays))
        {
            await (dueIn is { } due ? RemindIn(name, due) : ForgetReminder(name));
        }
        Send(notices);
        await Save();
    }
}
