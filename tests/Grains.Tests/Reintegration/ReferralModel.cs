using ReturnOps.Grains.Reintegration;

namespace ReturnOps.Grains.Tests.Reintegration;

/// <summary>
/// Rule 18 told from the outside, for the property test: which step a referral accepts next and where it leads, written
/// from the rule's words and not from <see cref="ReferralSteps"/>, so a step wrongly refused (or wrongly accepted) shows.
/// </summary>
internal sealed class ReferralModel
{
    private readonly HashSet<int> _reached = [];
    private DateOnly? _arrived;

    public ReferralStatus Status { get; private set; } = ReferralStatus.Referred;

    private bool Closed => Status is ReferralStatus.Declined or ReferralStatus.Completed;

    /// <summary>Whether the provider may record <paramref name="step"/> today (with a note, an amount in cents, a follow-up month).</summary>
    public bool Accepts(ReferralStep step, DateOnly today, bool withNote, int cents, int month) => !Closed && step switch
    {
        ReferralStep.Accept => Status == ReferralStatus.Referred,
        ReferralStep.Decline => Status == ReferralStatus.Referred && withNote,
        ReferralStep.Reception => Status == ReferralStatus.Accepted,
        ReferralStep.Plan => Status == ReferralStatus.Received && withNote,
        ReferralStep.Assistance => Status is ReferralStatus.Planned or ReferralStatus.AssistanceDelivered && cents > 0,
        // A follow-up is recorded once, from its day on (6 or 12 months after arrival), whatever else was recorded.
        ReferralStep.FollowUp => _arrived is { } arrived && month is 6 or 12 && !_reached.Contains(month) && today >= arrived.AddMonths(month),
        _ => false,
    };

    /// <summary>Records an accepted step.</summary>
    public void Record(ReferralStep step, DateOnly today, int month)
    {
        switch (step)
        {
            case ReferralStep.Accept:
                Status = ReferralStatus.Accepted;
                break;
            case ReferralStep.Decline:
                Status = ReferralStatus.Declined;
                break;
            case ReferralStep.Reception:
                Status = ReferralStatus.Received;
                _arrived = today;
                break;
            case ReferralStep.Plan:
                Status = ReferralStatus.Planned;
                break;
            case ReferralStep.Assistance:
                Status = ReferralStatus.AssistanceDelivered;
                break;
            case ReferralStep.FollowUp:
                _reached.Add(month);
                Status = month == 12 ? ReferralStatus.Completed : Status;
                break;
        }
    }
}
