using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Rule 21: a returnee travels only to the nationality or to a country that accepted the readmission.</summary>
public sealed class DestinationOfReturnTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly string[] s_countries = ["NG", "PK", "GE"];

    private Task<string> Pakistani() => Returnee("AT", c => c with { Nationality = "PK" });

    private async Task<IReadmissionRequestGrain> SubmitReadmissionAsync(string returnee, string destination, bool silenceMeansAcceptance = false)
    {
        await Grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key)
            .Put(new ReadmissionClock(destination, 10, 0, silenceMeansAcceptance, 90));
        var request = Grains.GetGrain<IReadmissionRequestGrain>($"rr-{returnee}-{destination}");
        await request.Submit(new ReadmissionSubmission(returnee, "AT", destination));
        return request;
    }

    [Fact]
    public async Task DestinationOfReturn_nationality_among_the_destinations_is_booked()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(destination: "PK"));

        var booking = await Book(operation, "AT", "b-1", [await Pakistani()], escorts: 2);

        Assert.Equal(BookingStatus.Confirmed, booking.Status);
    }

    [Fact]
    public async Task DestinationOfReturn_pakistani_national_is_refused_on_a_flight_to_nigeria_and_nothing_changes()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(destination: "NG"));
        var pakistani = await Pakistani();
        var nigerian = await Returnee("AT");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => Book(operation, "AT", "b-1", [nigerian, pakistani], escorts: 4));

        var violation = Assert.Single(refused.Violations);
        Assert.Equal(RuleCode.DestinationOfReturn, violation.Rule);
        Assert.StartsWith(pakistani + ":", violation.Detail, StringComparison.Ordinal);
        Assert.False(RuleCode.IsConflict(RuleCode.DestinationOfReturn));
        Assert.Empty(await operation.GetBookings(Caller.CoordinatorOf("AT")));
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(nigerian).Get())!.Booking);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(pakistani).Get())!.Booking);
    }

    [Fact]
    public async Task DestinationOfReturn_readmission_accepted_by_a_transit_country_among_the_destinations_is_booked()
    {
        await StartAsync();
        var pakistani = await Pakistani();
        var request = await SubmitReadmissionAsync(pakistani, "GE");
        await request.Reply(Caller.PartnerOf("GE"), true, null);
        var operation = await AnnouncedAsync(Plan(destination: "GE"));

        var booking = await Book(operation, "AT", "b-1", [pakistani], escorts: 2);

        Assert.Equal(BookingStatus.Confirmed, booking.Status);
    }

    [Fact]
    public async Task DestinationOfReturn_readmission_accepted_by_silence_counts_where_the_agreement_allows()
    {
        await StartAsync();
        var pakistani = await Pakistani();
        await SubmitReadmissionAsync(pakistani, "BA", silenceMeansAcceptance: true);
        await AdvanceAsync(TimeSpan.FromDays(10));
        var operation = await AnnouncedAsync(Plan(destination: "BA"));

        var booking = await Book(operation, "AT", "b-1", [pakistani], escorts: 2);

        Assert.Equal(BookingStatus.Confirmed, booking.Status);
    }

    [Fact]
    public async Task DestinationOfReturn_pending_or_refused_readmission_does_not_count()
    {
        await StartAsync();
        var pending = await Pakistani();
        await SubmitReadmissionAsync(pending, "GE");
        var refused = await Pakistani();
        await (await SubmitReadmissionAsync(refused, "GE")).Reply(Caller.PartnerOf("GE"), false, "not a national");
        var operation = await AnnouncedAsync(Plan(destination: "GE"));

        Assert.Equal([RuleCode.DestinationOfReturn], await RulesOf(() => Book(operation, "AT", "b-1", [pending], escorts: 2)));
        Assert.Contains(RuleCode.DestinationOfReturn, await RulesOf(() => Book(operation, "AT", "b-2", [refused], escorts: 2)));
        Assert.Empty(await operation.GetBookings(Caller.CoordinatorOf("AT")));
    }

    [Fact]
    public async Task DestinationOfReturn_is_judged_again_when_a_suspended_returnee_is_reinstated()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(destination: "NG"));
        var returnee = await Returnee("AT");
        await Book(operation, "AT", "b-1", [returnee], escorts: 2);
        var booked = (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case!;
        await Grains.UpdateReturneeAsync(returnee, "AT", booked with { AppealPending = true, AppealSuspensive = true });
        // The appeal ends, and the case now records another nationality.
        await Grains.UpdateReturneeAsync(returnee, "AT", booked with { Nationality = "PK" });

        Assert.Equal([RuleCode.DestinationOfReturn], await RulesOf(() => operation.ReinstateBooking(Caller.CoordinatorOf("AT"), "b-1")));
    }

    [Fact]
    public async Task DestinationOfReturn_booking_succeeds_exactly_when_a_country_of_return_is_a_destination()
    {
        await StartAsync();
        var run = 0;
        var cases =
            from nationality in Gen.Elements(s_countries)
            from accepted in Gen.Elements([null, .. s_countries])
            from destinations in Gen.SubListOf(s_countries).Where(d => d.Count > 0)
            select (Nationality: nationality, Accepted: accepted, Destinations: destinations.ToArray());
        var property = Prop.ForAll(Arb.From(cases), c => Task.Run(async () =>
        {
            var id = Interlocked.Increment(ref run);
            var returnee = await Returnee("AT", r => r with { Nationality = c.Nationality });
            if (c.Accepted is { } destination)
            {
                await (await SubmitReadmissionAsync(returnee, destination)).Reply(Caller.PartnerOf(destination), true, null);
            }
            var operation = await AnnouncedAsync(Plan() with { Destinations = c.Destinations }, id: $"prop-{id}");
            var expected = c.Destinations.Contains(c.Nationality) || (c.Accepted is { } a && c.Destinations.Contains(a));
            try
            {
                await Book(operation, "AT", "b-1", [returnee], escorts: 2);
                return expected;
            }
            catch (DomainRuleException refused)
            {
                return !expected && refused.Violations.All(v => v.Rule == RuleCode.DestinationOfReturn);
            }
        }).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25).WithQuietOnSuccess(true), property);
    }
}
