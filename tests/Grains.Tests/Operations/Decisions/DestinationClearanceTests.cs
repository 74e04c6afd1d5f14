using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Rule 13 decided with no cluster (<see cref="DestinationClearance"/>): the organiser shares the manifest after booking closes,
/// each destination clears or rejects the version it saw, and a clearance counts only for that version and those on board.
/// </summary>
public sealed class DestinationClearanceTests
{
    private static readonly Caller s_nigeria = Caller.PartnerOf("NG");

    [Fact]
    public void Only_the_organiser_shares_and_only_after_booking_closed_and_once()
    {
        var operation = new AnnouncedOperation(destinations: ["NG", "GH"]);
        Assert.Throws<DomainRuleException>(() => Clearance(operation).Share(Caller.CoordinatorOf("AT")));
        operation.State.Status = OperationStatus.BookingClosed;
        Assert.Throws<AccessDeniedException>(() => Clearance(operation).Share(Caller.CoordinatorOf("DE")));

        var notices = Clearance(operation).Share(Caller.CoordinatorOf("AT"));

        Assert.True(operation.State.ManifestShared);
        Assert.Equal([Destination.Country("NG"), Destination.Country("GH")], notices.Select(n => n.Destination));
        Assert.Empty(Clearance(operation).Share(Caller.CoordinatorOf("AT")));
    }

    [Fact]
    public void A_destination_clears_only_a_shared_manifest_between_booking_closed_and_departure()
    {
        var operation = Shared();
        operation.State.ManifestShared = false;
        Assert.Throws<DomainRuleException>(() => Clearance(operation).Clear(s_nigeria, new ClearanceDecision(true, [], null)));
        operation.State.ManifestShared = true;
        operation.State.Status = OperationStatus.Departed;
        Assert.Throws<DomainRuleException>(() => Clearance(operation).Clear(s_nigeria, new ClearanceDecision(true, [], null)));
        Assert.Empty(operation.State.Clearances);
    }

    [Fact]
    public void Only_a_partner_of_a_destination_clears_others_learn_nothing()
    {
        var operation = Shared();

        Assert.Throws<ResourceNotFoundException>(() => Clearance(operation).Clear(Caller.PartnerOf("GH"), new ClearanceDecision(true, [], null)));
        Assert.Throws<ResourceNotFoundException>(() => Clearance(operation).Clear(Caller.CoordinatorOf("NG"), new ClearanceDecision(true, [], null)));
    }

    [Fact]
    public void A_rejection_names_people_on_the_manifest_and_gives_a_reason()
    {
        var operation = Shared();

        var unknown = Assert.Throws<DomainRuleException>(() => Clearance(operation).Clear(s_nigeria, new ClearanceDecision(false, ["nobody"], "not ours")));
        var unexplained = Assert.Throws<DomainRuleException>(() => Clearance(operation).Clear(s_nigeria, new ClearanceDecision(false, ["de-1"], " ")));

        Assert.Equal([RuleCode.Validation, RuleCode.Validation], [unknown.Violations[0].Rule, unexplained.Violations[0].Rule]);
        Assert.Empty(operation.State.Clearances);
    }

    [Fact]
    public void A_clearance_holds_for_the_version_it_saw_and_tells_the_organiser()
    {
        var operation = Shared();

        var notices = Clearance(operation).Clear(s_nigeria, new ClearanceDecision(true, [], null));

        Assert.True(Clearance(operation).ByEveryDestination());
        Assert.Equal([(Destination.Country("AT"), "manifest.cleared")], notices.Select(n => (n.Destination, n.Body.Subject)));
        operation.State.ManifestVersion++;
        Assert.False(Clearance(operation).ByEveryDestination());
    }

    [Fact]
    public void Clearing_while_rejecting_someone_is_no_clearance_until_that_person_is_off_board()
    {
        var operation = Shared();

        Clearance(operation).Clear(s_nigeria, new ClearanceDecision(true, ["de-1"], "no travel document"));

        Assert.False(operation.State.Clearances["NG"].Cleared);
        Assert.False(Clearance(operation).ByEveryDestination());
    }

    [Fact]
    public void Every_destination_must_clear()
    {
        var operation = Shared(["NG", "GH"]);

        Clearance(operation).Clear(s_nigeria, new ClearanceDecision(true, [], null));

        Assert.False(Clearance(operation).ByEveryDestination());
        Clearance(operation).Clear(Caller.PartnerOf("GH"), new ClearanceDecision(true, [], null));
        Assert.True(Clearance(operation).ByEveryDestination());
    }

    [Fact]
    public void A_rejection_after_confirmation_holds_the_departure_until_cleared_again()
    {
        var operation = Shared();
        operation.State.Status = OperationStatus.Confirmed;
        Clearance(operation).Clear(s_nigeria, new ClearanceDecision(false, ["de-1"], "no travel document"));

        var held = Assert.Throws<DomainRuleException>(() => Lifecycle(operation).Check(Caller.CoordinatorOf("AT"), new(OperationStatus.Departed), AnnouncedOperation.Now));
        Assert.Equal(RuleCode.ManifestClearance, held.Violations[0].Rule);
        Assert.Contains("NG", held.Violations[0].Detail, StringComparison.Ordinal);

        Clearance(operation).Clear(s_nigeria, new ClearanceDecision(true, [], null));
        Assert.Empty(Clearance(operation).Outstanding());
        Lifecycle(operation).Check(Caller.CoordinatorOf("AT"), new(OperationStatus.Departed), AnnouncedOperation.Now);
    }

    [Fact]
    public void A_rejection_of_the_whole_manifest_holds_the_departure_until_the_organiser_overrides_it_with_a_reason()
    {
        var operation = Shared();
        operation.State.Status = OperationStatus.Confirmed;
        Clearance(operation).Clear(s_nigeria, new ClearanceDecision(false, [], "landing permit withdrawn"));
        var organiser = Caller.CoordinatorOf("AT");

        Assert.Throws<DomainRuleException>(() => Lifecycle(operation).Check(organiser, new(OperationStatus.Departed, " ", OverrideClearance: true), AnnouncedOperation.Now));
        var overridden = new StatusChange(OperationStatus.Departed, "permit renewed by phone", OverrideClearance: true);
        Lifecycle(operation).Check(organiser, overridden, AnnouncedOperation.Now);
        Lifecycle(operation).Move(overridden.To, overridden.Reason, AnnouncedOperation.Now);

        Assert.Equal("permit renewed by phone", operation.State.Clearances["NG"].OverriddenBecause);
        Assert.Empty(Clearance(operation).Outstanding());
    }

    [Fact]
    public void A_rejection_overridden_at_confirmation_does_not_hold_the_departure_but_a_new_one_does()
    {
        var operation = Shared();
        Clearance(operation).Clear(s_nigeria, new ClearanceDecision(false, ["de-1"], "no travel document"));
        Lifecycle(operation).Move(OperationStatus.Confirmed, "document follows by courier", AnnouncedOperation.Now);
        Assert.Empty(Clearance(operation).Outstanding());
        Assert.DoesNotContain(OperationSummary.View(AnnouncedOperation.Id, operation.State).Warnings, w => w.StartsWith("manifest-rejected", StringComparison.Ordinal));

        var notices = Clearance(operation).Clear(s_nigeria, new ClearanceDecision(false, [], "airport closed"));

        var view = OperationSummary.View(AnnouncedOperation.Id, operation.State);
        Assert.Contains(view.Warnings, w => w.StartsWith("manifest-rejected", StringComparison.Ordinal));
        Assert.True(view.Clearances.Single().Outstanding);
        Assert.Equal([Destination.Country("AT"), Destination.Role(Caller.Secretariat)], notices.Select(n => n.Destination));
        Assert.Null(notices[1].Body.Reason);
    }

    private static OperationLifecycle Lifecycle(AnnouncedOperation operation) => new(AnnouncedOperation.Id, operation.State);

    private static AnnouncedOperation Shared(IReadOnlyList<string>? destinations = null)
    {
        var operation = new AnnouncedOperation(destinations: destinations);
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1")], medical: 1);
        operation.State.Status = OperationStatus.BookingClosed;
        operation.State.ManifestShared = true;
        return operation;
    }

    private static DestinationClearance Clearance(AnnouncedOperation operation) => new(AnnouncedOperation.Id, operation.State);
}
