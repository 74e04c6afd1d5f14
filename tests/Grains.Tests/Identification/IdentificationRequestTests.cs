using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Identification;

/// <summary>Rule 17: identity and nationality confirmed by the destination, then a travel document that satisfies rule 6.</summary>
public sealed class IdentificationRequestTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly IdentificationClock s_euTerms = new(14, 7, 6, 14, AcceptsEuTravelDocument: true, ThroughEmbassy: false);

    private DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private async Task<IIdentificationRequestGrain> RequestAsync(string returnee, string destination = "AL", IdentificationClock? terms = null, string id = "ir-1")
    {
        await Grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key)
            .Put(new ReadmissionClock(destination, 14, 0, true, 90, Identification: terms ?? s_euTerms));
        var request = Grains.GetGrain<IIdentificationRequestGrain>(id);
        await request.Submit(new IdentificationSubmission(returnee, "AT", destination));
        return request;
    }

    private Task<IdentificationRequestView> IssueAsync(IIdentificationRequestGrain request, DateOnly validUntil, TravelDocumentKind kind = TravelDocumentKind.EmergencyTravelDocument, string partner = "AL") =>
        request.IssueDocument(Caller.PartnerOf(partner), kind, "ETD-0042", Today, validUntil);

    private async Task<IReadOnlyList<string>> ViolationsOf(string returnee) =>
        [.. (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Violations.Select(v => v.Rule)];

    /// <summary>
    /// Rule 15: a request opened before the case kept a list of its requests (stored state from before that list) is reached
    /// by the case's erasure all the same, through the requests' list rows, and keeps nothing about the person.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Erasure_reaches_a_request_the_case_does_not_list(string provider)
    {
        await StartAsync(provider);
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = null });
        var request = await RequestAsync(returnee, id: "ir-unlisted");
        await request.Confirm(Caller.PartnerOf("AL"));
        await IssueAsync(request, Today.AddMonths(6));
        await Cluster.DeactivateDomainGrainsAsync();
        // The case's state as it was stored before it listed its requests.
        Assert.Equal(1, await Storage.ExecuteAsync(
            "UPDATE grain_state SET payload = replace(payload, '\"identificationRequests\":[\"ir-unlisted\"]', '\"identificationRequests\":[]') " +
            $"WHERE grain_key = '{returnee}' AND payload LIKE '%\"identificationRequests\":[\"ir-unlisted\"]%'"));
        Assert.Empty(await Grains.GetGrain<IReturneeGrain>(returnee).IdentificationRequests());

        await Grains.EraseReturneeAsync(returnee);

        var erased = (await request.Get())!;
        Assert.Null(erased.Document);
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM grain_state WHERE payload LIKE '%ETD-0042%'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Identification_confirmed_then_document_issued_satisfies_rule_6_and_notifies_both_sides(string provider)
    {
        await StartAsync(provider);
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = null });
        var request = await RequestAsync(returnee);
        Assert.Contains(RuleCode.TravelDocument, await ViolationsOf(returnee));

        var confirmed = await request.Confirm(Caller.PartnerOf("AL"));
        Assert.Equal(IdentificationStatus.AwaitingDocument, confirmed.Status);
        Assert.Equal(Clock.GetUtcNow().AddDays(7), confirmed.DueBy);
        // A confirmed identity is not a document: rule 6 still fails until one is issued.
        Assert.Contains(RuleCode.TravelDocument, await ViolationsOf(returnee));

        var issued = await IssueAsync(request, Today.AddMonths(6));

        Assert.Equal(IdentificationStatus.DocumentIssued, issued.Status);
        Assert.Equal(new IssuedTravelDocument(TravelDocumentKind.EmergencyTravelDocument, "ETD-0042", Today, Today.AddMonths(6), Clock.GetUtcNow()), issued.Document);
        Assert.Equal(Today.AddMonths(6), (await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case!.TravelDocumentValidUntil);
        Assert.DoesNotContain(RuleCode.TravelDocument, await ViolationsOf(returnee));
        Assert.Equal(1, await Outbox("identification.requested", Destination.Country("AL")));
        Assert.Equal(1, await Outbox("identification.confirmed", Destination.Country("AT")));
        Assert.Equal(1, await Outbox("identification.document-issued", Destination.Country("AT")));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT count(*) FROM identification_requests WHERE id = 'ir-1' AND status = 'DocumentIssued'"));
    }

    [Fact]
    public async Task Identification_unconfirmed_never_satisfies_rule_6_and_a_document_needs_a_confirmed_identity()
    {
        await StartAsync();
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = null });
        var request = await RequestAsync(returnee);

        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => IssueAsync(request, Today.AddYears(1))));
        await AdvanceAsync(TimeSpan.FromDays(30));

        Assert.Equal(IdentificationStatus.AwaitingIdentity, (await request.Get())!.Status);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case!.TravelDocumentValidUntil);
        Assert.Contains(RuleCode.TravelDocument, await ViolationsOf(returnee));
    }

    [Fact]
    public async Task Identification_answers_come_only_from_the_destination_and_a_reissue_only_from_the_owner()
    {
        await StartAsync();
        var request = await RequestAsync(await Returnee("AT", c => c with { TravelDocumentValidUntil = null }));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => request.Confirm(Caller.PartnerOf("RS")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => request.Confirm(Caller.CoordinatorOf("AL")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => request.Refuse(Caller.PartnerOf("RS"), IdentificationRefusal.NotANational, "no"));
        await request.Confirm(Caller.PartnerOf("AL"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => IssueAsync(request, Today.AddYears(1), partner: "RS"));
        await IssueAsync(request, Today.AddYears(1));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => request.RequestReissue(Caller.CoordinatorOf("DE")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => request.RequestReissue(Caller.PartnerOf("AL")));
    }

    [Fact]
    public async Task Identification_refusal_needs_a_text_stops_the_clock_and_tells_the_owner_why()
    {
        await StartAsync();
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = null });
        var request = await RequestAsync(returnee);

        Assert.Equal(RuleCode.Validation, await RuleOf(() => request.Refuse(Caller.PartnerOf("AL"), IdentificationRefusal.NotANational, " ")));
        var refused = await request.Refuse(Caller.PartnerOf("AL"), IdentificationRefusal.NotANational, "No record in the civil register.");
        await AdvanceAsync(TimeSpan.FromDays(15));

        Assert.Equal(IdentificationStatus.Refused, refused.Status);
        Assert.False((await request.Get())!.Overdue);
        Assert.Equal(IdentificationRefusal.NotANational, refused.RefusalReason);
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => request.Confirm(Caller.PartnerOf("AL"))));
        Assert.Equal(1, await Outbox("identification.refused", Destination.Country("AT")));
        Assert.Equal(0, await Outbox("identification.overdue", Destination.Country("AT")));
    }

    [Fact]
    public async Task Identification_document_shorter_than_the_minimum_validity_is_refused_and_changes_nothing()
    {
        await StartAsync();
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = null });
        var request = await RequestAsync(returnee);
        await request.Confirm(Caller.PartnerOf("AL"));

        Assert.Equal(RuleCode.Identification, await RuleOf(() => IssueAsync(request, Today.AddMonths(6).AddDays(-1))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => request.IssueDocument(Caller.PartnerOf("AL"), TravelDocumentKind.Passport, "P1", Today.AddDays(1), Today.AddYears(1))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => request.IssueDocument(Caller.PartnerOf("AL"), TravelDocumentKind.Passport, "", Today, Today.AddYears(1))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => request.IssueDocument(Caller.PartnerOf("AL"), TravelDocumentKind.Passport, "<script>", Today, Today.AddYears(1))));

        Assert.Equal(IdentificationStatus.AwaitingDocument, (await request.Get())!.Status);
        Assert.Null((await Grains.GetGrain<IReturneeGrain>(returnee).Get())!.Case!.TravelDocumentValidUntil);
    }

    [Fact]
    public async Task Identification_eu_travel_document_only_where_the_agreement_accepts_it()
    {
        await StartAsync();
        var refusing = await RequestAsync(await Returnee("AT", c => c with { TravelDocumentValidUntil = null }), "NG",
            s_euTerms with { AcceptsEuTravelDocument = false }, id: "ir-ng");
        var accepting = await RequestAsync(await Returnee("AT", c => c with { TravelDocumentValidUntil = null }), "AL", id: "ir-al");
        await refusing.Confirm(Caller.PartnerOf("NG"));
        await accepting.Confirm(Caller.PartnerOf("AL"));

        Assert.Equal(RuleCode.Identification, await RuleOf(() => IssueAsync(refusing, Today.AddYears(1), TravelDocumentKind.EuTravelDocumentForReturn, "NG")));
        var issued = await IssueAsync(accepting, Today.AddYears(1), TravelDocumentKind.EuTravelDocumentForReturn);

        Assert.Equal(TravelDocumentKind.EuTravelDocumentForReturn, issued.Document!.Kind);
    }

    [Fact]
    public async Task Identification_document_expiring_before_departure_suspends_the_seat_with_the_early_warning()
    {
        await StartAsync();
        var departure = Clock.GetUtcNow().AddDays(300);
        var operation = await AnnouncedAsync(new OperationPlan(OperationType.Joint, "AT", ["AL"], [new Leg("VIE", "TIA", departure)], 10, departure.AddDays(-2)));
        var returnee = await Returnee("AT", c => c with { Nationality = "AL", TravelDocumentValidUntil = DateOnly.FromDateTime(departure.UtcDateTime).AddDays(10) });
        await Book(operation, "AT", "b1", [returnee], escorts: 2);
        // The document on file was withheld: the destination identifies the person and issues a new one.
        var request = await RequestAsync(returnee);
        await request.Confirm(Caller.PartnerOf("AL"));

        await IssueAsync(request, Today.AddMonths(7));

        Assert.Equal(BookingStatus.Suspended, Assert.Single(await operation.GetBookings(Caller.CoordinatorOf("AT"))).Status);
        Assert.Equal(1, await Outbox("returnee.ineligible", Destination.Grain("return-operation", "op-1")));
        Assert.Equal(1, await Outbox("returnee.ineligible", Destination.Country("AT")));
        Assert.Equal(1, await Outbox("booking.suspended", Destination.Country("AT")));
    }

    [Fact]
    public async Task Identification_document_valid_on_departure_keeps_the_seat()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(destination: "AL"));
        var returnee = await Returnee("AT", c => c with { Nationality = "AL" });
        await Book(operation, "AT", "b1", [returnee], escorts: 2);
        var request = await RequestAsync(returnee);
        await request.Confirm(Caller.PartnerOf("AL"));

        await IssueAsync(request, Today.AddMonths(6));

        Assert.Equal(BookingStatus.Confirmed, Assert.Single(await operation.GetBookings(Caller.CoordinatorOf("AT"))).Status);
        Assert.Equal(0, await Outbox("returnee.ineligible", Destination.Country("AT")));
    }
}
