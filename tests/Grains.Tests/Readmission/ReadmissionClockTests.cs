using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Readmission;

/// <summary>Rule 12: reply deadlines from the agreement, silence means acceptance where agreed, extension on request.</summary>
public sealed class ReadmissionClockTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private async Task<IReadmissionRequestGrain> RequestAsync(ReadmissionClock clock)
    {
        await Grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).Put(clock);
        var returnee = await Returnee("AT");
        var request = Grains.GetGrain<IReadmissionRequestGrain>("rr-1");
        await request.Submit(new ReadmissionSubmission(returnee, "AT", clock.Destination));
        return request;
    }

    [Fact]
    public async Task Readmission_silence_means_acceptance_after_the_reply_days()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("BA", 10, 0, true, 90));
        var due = Clock.GetUtcNow().AddDays(10);
        Assert.Equal(due, (await request.Get())!.ReplyDueBy);

        Assert.Equal(0, await FireAtAsync(due - OneTick));
        Assert.Equal(ReadmissionStatus.Pending, (await request.Get())!.Status);
        Assert.Equal(1, await FireAtAsync(due));

        var decided = (await request.Get())!;
        Assert.Equal(ReadmissionStatus.Accepted, decided.Status);
        Assert.True(decided.AcceptedBySilence);
        Assert.Equal(nameof(ReadmissionStatus.Accepted), (await Grains.GetGrain<IReturneeGrain>(decided.ReturneeId).Get())!.Readmission["BA"]);
        Assert.Equal(1, await Storage.ScalarAsync("SELECT accepted_by_silence FROM readmission_requests WHERE id = 'rr-1'"));
    }

    [Fact]
    public async Task Readmission_without_silence_clause_lapses()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("GE", 12, 0, false, 90));

        await AdvanceAsync(TimeSpan.FromDays(12));

        Assert.Equal(ReadmissionStatus.Lapsed, (await request.Get())!.Status);
    }

    [Fact]
    public async Task Readmission_reply_in_time_by_the_destination_partner_only()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("AL", 14, 0, true, 90));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => request.Reply(Caller.PartnerOf("RS"), true, null));
        var refused = await request.Reply(Caller.PartnerOf("AL"), false, "not a national");
        await AdvanceAsync(TimeSpan.FromDays(15));

        Assert.Equal(ReadmissionStatus.Refused, refused.Status);
        Assert.Equal(ReadmissionStatus.Refused, (await request.Get())!.Status);
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => request.Reply(Caller.PartnerOf("AL"), true, null)));
    }

    [Fact]
    public async Task Readmission_extension_on_request_moves_the_deadline_once()
    {
        await StartAsync();
        var request = await RequestAsync(new ReadmissionClock("RS", 10, 6, true, 90));

        var due = Clock.GetUtcNow().AddDays(16);
        var extended = await request.RequestExtension(Caller.PartnerOf("RS"));
        Assert.Equal(due, extended.ReplyDueBy);
        Assert.Equal(RuleCode.Readmission, await RuleOf(() => request.RequestExtension(Caller.PartnerOf("RS"))));
        // The reminder moved with the deadline: nothing fires at the first deadline, nor a tick before the new one.
        Assert.Equal(0, await FireAtAsync(due.AddDays(-6)));
        Assert.Equal(0, await FireAtAsync(due - OneTick));
        Assert.Equal(ReadmissionStatus.Pending, (await request.Get())!.Status);
        Assert.Equal(1, await FireAtAsync(due));

        Assert.Equal(ReadmissionStatus.Accepted, (await request.Get())!.Status);
    }

    [Fact]
    public async Task Readmission_entered_after_it_was_sent_keeps_its_clock_and_lapses_at_the_first_tick()
    {
        await StartAsync();
        await Grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).Put(new ReadmissionClock("GE", 12, 0, false, 90));
        var returnee = await Returnee("AT");
        var sent = Clock.GetUtcNow().AddDays(-20);
        var request = Grains.GetGrain<IReadmissionRequestGrain>("rr-late");

        var submitted = await request.Submit(new ReadmissionSubmission(returnee, "AT", "GE", sent));
        Assert.Equal((sent, sent.AddDays(12)), (submitted.RequestedAt, submitted.ReplyDueBy));
        Assert.Equal(ReadmissionStatus.Pending, submitted.Status);
        // Orleans' soonest first tick: a reminder asked for in the past falls due a moment later, not at once.
        await AdvanceAsync(DomainGrain.SoonestTick);

        Assert.Equal(ReadmissionStatus.Lapsed, (await request.Get())!.Status);
        Assert.Equal(RuleCode.Validation, await RuleOf(() => Grains.GetGrain<IReadmissionRequestGrain>("rr-future")
            .Submit(new ReadmissionSubmission(returnee, "AT", "GE", Clock.GetUtcNow().AddMinutes(1)))));
    }

    [Fact]
    public async Task Readmission_needs_an_agreement()
    {
        await StartAsync();
        var returnee = await Returnee("AT");

        Assert.Equal(RuleCode.Readmission, await RuleOf(() =>
            Grains.GetGrain<IReadmissionRequestGrain>("rr-x").Submit(new ReadmissionSubmission(returnee, "AT", "CN"))));
    }
}
