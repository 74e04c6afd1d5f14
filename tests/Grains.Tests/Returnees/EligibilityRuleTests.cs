using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Returnees;

/// <summary>Rules 1, 2, 3, 5, 6 and readmission: an ineligible returnee cannot be booked, and the refusal names the rule.</summary>
public sealed class EligibilityRuleTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private async Task<string> RefusalFor(Func<ReturneeCase, ReturneeCase> change)
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT", change);
        var rule = await RuleOf(() => Book(operation, "AT", "b1", [returnee], escorts: 2));
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Booking);
        return rule;
    }

    [Fact]
    public async Task EnforceableDecision_is_required() =>
        Assert.Equal(RuleCode.EnforceableDecision, await RefusalFor(c => c with { DecisionEnforceable = false }));

    [Fact]
    public async Task SuspensiveAppeal_postpones_removal() =>
        Assert.Equal(RuleCode.SuspensiveAppeal, await RefusalFor(c => c with { AppealPending = true, AppealSuspensive = true }));

    [Fact]
    public async Task SuspensiveAppeal_an_appeal_without_suspensive_effect_does_not_block()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT", c => c with { AppealPending = true, AppealSuspensive = false });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [returnee], escorts: 2)).Status);
    }

    [Fact]
    public async Task NonRefoulement_must_be_cleared() =>
        Assert.Equal(RuleCode.NonRefoulement, await RefusalFor(c => c with { NonRefoulementCleared = false }));

    [Fact]
    public async Task UnaccompaniedMinorReception_needs_a_recorded_arrangement() =>
        Assert.Equal(RuleCode.UnaccompaniedMinorReception, await RefusalFor(c => c with { UnaccompaniedMinor = true, BirthYear = 2012 }));

    [Fact]
    public async Task UnaccompaniedMinorReception_with_a_guardian_is_bookable()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT", c => c with { UnaccompaniedMinor = true, BirthYear = 2012, ReceptionArrangement = "guardian" });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [returnee], escorts: 2)).Status);
    }

    [Fact]
    public async Task FitToTravel_a_medical_flag_needs_a_record_within_the_window() =>
        Assert.Equal(RuleCode.FitToTravel, await RefusalFor(c => c with { MedicalFlag = true, FitToTravelOn = DepartureDay.AddDays(-30) }));

    [Fact]
    public async Task FitToTravel_a_recent_record_makes_a_medical_case_bookable()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT", c => c with { MedicalFlag = true, FitToTravelOn = DepartureDay.AddDays(-3), Vulnerabilities = ["pregnancy"] });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [returnee], escorts: 2)).Status);
    }

    [Fact]
    public async Task FitToTravel_window_is_the_configured_one_to_the_day()
    {
        // Not the default (7 days): an operation that judged with a window of its own making would book one or refuse the other.
        await StartAsync(options: o => o.FitToTravelWindowDays = 21);
        var operation = await AnnouncedAsync();
        var atTheEdge = await Returnee("AT", c => c with { MedicalFlag = true, FitToTravelOn = DepartureDay.AddDays(-21) });
        var aDayOlder = await Returnee("AT", c => c with { MedicalFlag = true, FitToTravelOn = DepartureDay.AddDays(-22) });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [atTheEdge], escorts: 2)).Status);
        Assert.Equal(RuleCode.FitToTravel, await RuleOf(() => Book(operation, "AT", "b2", [aDayOlder], escorts: 2)));
    }

    [Fact]
    public async Task TravelDocument_valid_on_the_day_of_departure_is_enough()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = DepartureDay });

        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b1", [returnee], escorts: 2)).Status);
    }

    [Fact]
    public async Task TravelDocument_must_be_valid_on_the_day_of_departure() =>
        Assert.Equal(RuleCode.TravelDocument, await RefusalFor(c => c with { TravelDocumentValidUntil = DepartureDay.AddDays(-1) }));

    [Fact]
    public async Task Readmission_refused_by_the_destination_blocks_the_booking()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT");
        await Grains.GetGrain<IReturneeGrain>(returnee).RecordReadmission("NG", Eligibility.Refused);

        Assert.Equal(RuleCode.Readmission, await RuleOf(() => Book(operation, "AT", "b1", [returnee], escorts: 2)));
    }

    [Fact]
    public async Task Every_broken_rule_is_reported_not_only_the_first()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("AT", c => c with { DecisionEnforceable = false, TravelDocumentValidUntil = null });

        var rules = await RulesOf(() => Book(operation, "AT", "b1", [returnee], escorts: 0));

        Assert.Equal([RuleCode.EnforceableDecision, RuleCode.TravelDocument, RuleCode.EscortRatio], rules);
    }
}
