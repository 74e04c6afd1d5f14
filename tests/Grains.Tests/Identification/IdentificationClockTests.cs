using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.DemoData;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Identification;

/// <summary>Rules 17 and 20: identification clocks per agreement or arrangement, on the domain clock; silence never decides.</summary>
public sealed class IdentificationClockTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static ReadmissionClock China => JcpParticipants.Agreements.Single(a => a.Destination == "CN");

    private IReadmissionAgreementsGrain Agreements => Grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key);

    private DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private async Task<IIdentificationRequestGrain> RequestAsync(ReadmissionClock terms, string id = "ir-1")
    {
        await Agreements.Put(terms);
        var request = Grains.GetGrain<IIdentificationRequestGrain>(id);
        await request.Submit(new IdentificationSubmission(await Returnee("AT", c => c with { TravelDocumentValidUntil = null }), "AT", terms.Destination));
        return request;
    }

    private Task<long> Overdue(string id) => Storage.ScalarAsync($"SELECT overdue FROM identification_requests WHERE id = '{id}'");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Identification_unanswered_by_the_reply_days_becomes_overdue_and_stays_awaiting(string provider)
    {
        await StartAsync(provider);
        var request = await RequestAsync(new ReadmissionClock("RS", 10, 6, true, 90, Identification: new(10, 5, 6, 14, true, false)));
        Assert.Equal(Clock.GetUtcNow().AddDays(10), (await request.Get())!.DueBy);

        await AdvanceAsync(TimeSpan.FromDays(9));
        Assert.False((await request.Get())!.Overdue);
        await AdvanceAsync(TimeSpan.FromDays(1));

        // Even where silence readmits (RS), identity is never presumed: the request waits, overdue.
        var overdue = (await request.Get())!;
        Assert.True(overdue.Overdue);
        Assert.Equal(IdentificationStatus.AwaitingIdentity, overdue.Status);
        Assert.Equal(1, await Overdue("ir-1"));
        Assert.Equal(1, await Outbox("identification.overdue", Destination.Country("AT")));
    }

    [Fact]
    public async Task Identification_confirmation_starts_the_issue_clock_and_clears_the_overdue_mark()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("AL", 14, 0, true, 90, Identification: new(14, 7, 6, 14, true, false)));
        await AdvanceAsync(TimeSpan.FromDays(15));

        var confirmed = await request.Confirm(Caller.PartnerOf("AL"));
        Assert.False(confirmed.Overdue);
        Assert.Equal(0, await Overdue("ir-1"));
        await AdvanceAsync(TimeSpan.FromDays(7));

        Assert.True((await request.Get())!.Overdue);
        Assert.Equal(IdentificationStatus.AwaitingDocument, (await request.Get())!.Status);
    }

    [Fact]
    public async Task Identification_reissue_when_the_transfer_slips_is_due_after_the_reissue_days()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("AL", 14, 0, true, 90, Identification: new(14, 7, 6, 14, true, false)));
        await request.Confirm(Caller.PartnerOf("AL"));
        await request.IssueDocument(Caller.PartnerOf("AL"), TravelDocumentKind.EmergencyTravelDocument, "ETD-1", Today, Today.AddMonths(6));

        var reissue = await request.RequestReissue(Caller.CoordinatorOf("AT"));
        Assert.Equal(IdentificationStatus.AwaitingDocument, reissue.Status);
        Assert.Equal(Clock.GetUtcNow().AddDays(14), reissue.DueBy);
        Assert.Equal(1, reissue.Reissues);
        Assert.Equal(1, await Outbox("identification.reissue-requested", Destination.Country("AL")));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => request.RequestReissue(Caller.CoordinatorOf("AT"))));
        await AdvanceAsync(TimeSpan.FromDays(14));

        Assert.True((await request.Get())!.Overdue);
    }

    [Fact]
    public async Task Identification_reply_issue_and_reissue_clocks_fall_due_at_their_time_not_a_tick_before()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("AL", 14, 0, true, 90, Identification: new(10, 5, 6, 12, true, false)));
        var reply = Clock.GetUtcNow().AddDays(10);
        await DueOnTimeAsync(request, reply);

        var issue = (await request.Confirm(Caller.PartnerOf("AL"))).DueBy;
        Assert.Equal(reply.AddDays(5), issue);
        await DueOnTimeAsync(request, issue);

        await request.IssueDocument(Caller.PartnerOf("AL"), TravelDocumentKind.EmergencyTravelDocument, "ETD-1", Today, Today.AddMonths(6));
        var reissue = (await request.RequestReissue(Caller.CoordinatorOf("AT"))).DueBy;
        Assert.Equal(issue.AddDays(12), reissue);
        await DueOnTimeAsync(request, reissue);
    }

    /// <summary>The step's reminder fires at <paramref name="due"/> and marks the request overdue; a tick before, nothing fires.</summary>
    private async Task DueOnTimeAsync(IIdentificationRequestGrain request, DateTimeOffset due)
    {
        Assert.Equal(0, await FireAtAsync(due - OneTick));
        Assert.False((await request.Get())!.Overdue);
        Assert.Equal(1, await FireAtAsync(due));
        Assert.True((await request.Get())!.Overdue);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public async Task Agreement_reissue_days_are_1_to_30(int days)
    {
        await StartAsync();

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Agreements.Put(new ReadmissionClock("AL", 14, 0, true, 90, Identification: new(14, 7, 6, days, true, false)))));
        Assert.Null(await Agreements.Get("AL"));
    }

    [Fact]
    public async Task Arrangement_with_silence_means_acceptance_is_refused()
    {
        await StartAsync();

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Agreements.Put(China with { SilenceMeansAcceptance = true })));
        Assert.Null(await Agreements.Get("CN"));
    }

    [Fact]
    public async Task China_arrangement_identifies_through_its_embassy_on_longer_clocks_and_silence_never_accepts()
    {
        await StartAsync();
        Assert.Equal(PartnerBasis.Arrangement, China.Basis);
        var identification = await RequestAsync(China);
        var readmission = Grains.GetGrain<IReadmissionRequestGrain>("rr-cn");
        await readmission.Submit(new ReadmissionSubmission((await identification.Get())!.ReturneeId, "AT", "CN"));
        Assert.True((await identification.Get())!.ThroughEmbassy);

        await AdvanceAsync(TimeSpan.FromDays(60));
        Assert.Equal(ReadmissionStatus.Lapsed, (await readmission.Get())!.Status);
        Assert.False((await readmission.Get())!.AcceptedBySilence);
        Assert.False((await identification.Get())!.Overdue);
        await AdvanceAsync(TimeSpan.FromDays(30));

        Assert.True((await identification.Get())!.Overdue);
        Assert.Equal(IdentificationStatus.AwaitingIdentity, (await identification.Get())!.Status);
        Assert.Equal(RuleCode.Identification, await RuleOf(async () =>
        {
            await identification.Confirm(Caller.PartnerOf("CN"));
            await identification.IssueDocument(Caller.PartnerOf("CN"), TravelDocumentKind.EuTravelDocumentForReturn, "EU-1", Today, Today.AddYears(1));
        }));
    }

    [Fact]
    public async Task Agreement_stored_before_identification_gets_the_eu_terms()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("ME", 12, 0, true, 90));

        Assert.Equal(Clock.GetUtcNow().AddDays(IdentificationClock.EuAgreement.ReplyDays), (await request.Get())!.DueBy);
    }

    [Fact]
    public async Task Identification_to_a_destination_without_agreement_or_arrangement_is_refused()
    {
        await StartAsync();
        var returnee = await Returnee("AT");

        Assert.Equal(RuleCode.Identification, await RuleOf(() =>
            Grains.GetGrain<IIdentificationRequestGrain>("ir-x").Submit(new IdentificationSubmission(returnee, "AT", "CN"))));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM identification_requests"));
    }
}
