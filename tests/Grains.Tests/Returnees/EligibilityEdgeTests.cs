using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Returnees;

/// <summary>
/// Rules 5 and 6 at their exact edges, decided by <see cref="Eligibility.Check"/> with no cluster: a window that is off by a
/// day, or a setting ignored for a figure of its own, fails here.
/// </summary>
public sealed class EligibilityEdgeTests
{
    // Late in the day on purpose: the rules count departure days, not hours.
    private static readonly DateTimeOffset s_departure = new(2026, 6, 13, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly s_departureDay = DateOnly.FromDateTime(s_departure.UtcDateTime);

    [Theory]
    [InlineData(GrainsOptions.DefaultFitToTravelWindowDays)]
    [InlineData(3)]
    [InlineData(21)]
    public void FitToTravel_a_record_exactly_the_window_old_is_enough_and_one_a_day_older_is_not(int window)
    {
        Assert.DoesNotContain(RuleCode.FitToTravel, Broken(Medical(s_departureDay.AddDays(-window)), window));
        Assert.Contains(RuleCode.FitToTravel, Broken(Medical(s_departureDay.AddDays(-window - 1)), window));
    }

    [Fact]
    public void FitToTravel_a_record_of_the_departure_day_is_enough_and_one_dated_after_departure_is_not()
    {
        Assert.DoesNotContain(RuleCode.FitToTravel, Broken(Medical(s_departureDay)));
        Assert.Contains(RuleCode.FitToTravel, Broken(Medical(s_departureDay.AddDays(1))));
        Assert.Contains(RuleCode.FitToTravel, Broken(Case() with { MedicalFlag = true }));
    }

    [Fact]
    public void TravelDocument_valid_on_the_departure_day_is_accepted_and_one_expiring_the_day_before_is_refused()
    {
        Assert.Empty(Broken(Case() with { TravelDocumentValidUntil = s_departureDay }));
        Assert.Equal([RuleCode.TravelDocument], Broken(Case() with { TravelDocumentValidUntil = s_departureDay.AddDays(-1) }));
        Assert.Equal([RuleCode.TravelDocument], Broken(Case() with { TravelDocumentValidUntil = null }));
    }

    private static ReturneeCase Medical(DateOnly fitToTravelOn) => Case() with { MedicalFlag = true, FitToTravelOn = fitToTravelOn };

    /// <summary>An eligible forced returnee with a document valid a year past departure.</summary>
    private static ReturneeCase Case() => new(
        Reference: "AT-case-1", Nationality: "NG", BirthYear: 1990, Sex: "M", FamilyGroup: null,
        UnaccompaniedMinor: false, ReceptionArrangement: null, DecisionEnforceable: true, AppealPending: false,
        AppealSuspensive: false, NonRefoulementCleared: true, TravelDocumentValidUntil: s_departureDay.AddYears(1),
        MedicalFlag: false, FitToTravelOn: null, Vulnerabilities: [], Voluntary: false);

    private static List<string> Broken(ReturneeCase c, int window = GrainsOptions.DefaultFitToTravelWindowDays) =>
        [.. Eligibility.Check(c, new EligibilityContext(s_departure, ["NG"], window), new Dictionary<string, string>()).Select(v => v.Rule)];
}
