using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Rules 5, 7, 14 and 16: who sees which manifest, monitor reports and incidents.</summary>
public sealed class OversightTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");

    [Fact]
    public async Task Access_manifest_per_viewer()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var austrian = await Returnee("AT", c => c with { Vulnerabilities = ["pregnancy"] });
        await Book(operation, "AT", "b1", [austrian], escorts: 2);
        await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);

        Assert.Equal(2, (await operation.GetManifest(Organiser)).Entries.Count);
        var german = await operation.GetManifest(Caller.CoordinatorOf("DE"));
        Assert.All(german.Entries, e => Assert.Equal("DE", e.Country));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.GetManifest(Caller.PartnerOf("NG")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.GetManifest(Caller.CoordinatorOf("FR")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.GetManifest(Caller.PartnerOf("PK")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => operation.GetManifest(Caller.SecretariatUser()));

        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        // Rule 16: closing booking discloses nothing; the organiser's explicit share does.
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.GetManifest(Caller.PartnerOf("NG")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => operation.ShareManifest(Caller.CoordinatorOf("DE")));
        var shared = await operation.ShareManifest(Organiser);
        Assert.True(shared.ManifestShared);
        Assert.Equal(1, await Outbox("manifest.shared", Destination.Country("NG")));
        var partner = await operation.GetManifest(Caller.PartnerOf("NG"));
        Assert.Equal(2, partner.Entries.Count);
        // Rule 5: vulnerabilities travel with the manifest to escorts and medical staff.
        Assert.Equal(["pregnancy"], partner.Entries.Single(e => e.ReturneeId == austrian).Vulnerabilities);
    }

    [Fact]
    public async Task Access_bookings_show_returnee_ids_only_to_their_country()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2);
        await Book(operation, "DE", "b2", [await Returnee("DE")], escorts: 2);

        var organiserView = await operation.GetBookings(Organiser);
        var germanView = await operation.GetBookings(Caller.CoordinatorOf("DE"));

        Assert.Equal(2, organiserView.Count);
        Assert.Empty(organiserView.Single(b => b.Country == "DE").Returnees);
        Assert.Single(germanView);
        Assert.Single(germanView[0].Returnees);
    }

    [Fact]
    public async Task ManifestClearance_needs_the_manifest_shared_first_and_sharing_twice_tells_the_destination_once()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await Book(operation, "AT", "b1", [await Returnee("AT")], escorts: 2, medical: 1);
        await Assert.ThrowsAsync<DomainRuleException>(() => operation.ShareManifest(Organiser));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));

        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null))));
        await operation.ShareManifest(Organiser);
        await operation.ShareManifest(Organiser);
        var cleared = await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));

        Assert.True(Assert.Single(cleared.Clearances).Cleared);
        Assert.Equal(1, await Outbox("manifest.shared", Destination.Country("NG")));
    }

    [Fact]
    public async Task Monitoring_report_reaches_secretariat_fro_and_every_participating_state()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await Book(operation, "DE", "b1", [await Returnee("DE")], escorts: 2, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.FileMonitorReport(Caller.MonitorUser("someone-else"), new MonitorReport("x", false)));
        await operation.FileMonitorReport(Caller.MonitorUser("monitor-1"), new MonitorReport("Hand-over without incident.", false));

        foreach (var to in new[] { Destination.Role("secretariat"), Destination.Role("fro"), Destination.Country("AT"), Destination.Country("DE") })
        {
            Assert.Equal(1, await Outbox("monitor.report", to));
        }
    }

    [Fact]
    public async Task A_second_monitor_report_is_refused_and_notifies_no_one_again()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await Book(operation, "DE", "b1", [await Returnee("DE")], escorts: 2, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-2");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Organiser);
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        await NameStaffAsync(operation);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));
        await operation.FileMonitorReport(Caller.MonitorUser("monitor-1"), new MonitorReport("Hand-over without incident.", false));

        Assert.Equal(RuleCode.OneMonitorReport, await RuleOf(() => operation.FileMonitorReport(Caller.MonitorUser("monitor-1"), new MonitorReport("Again.", false))));
        Assert.Equal(RuleCode.OneMonitorReport, await RuleOf(() => operation.FileMonitorReport(Caller.MonitorUser("monitor-2"), new MonitorReport("Mine.", true))));

        Assert.True((await operation.GetView())!.MonitorReportFiled);
        Assert.Equal(1, await Outbox("monitor.report", Destination.Role("fro")));
    }

    [Fact]
    public async Task A_destination_rejects_named_people_on_the_manifest_with_a_reason_and_no_one_else()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var returnee = await Returnee("DE");
        await Book(operation, "DE", "b1", [returnee], escorts: 2, medical: 1);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Organiser);
        var partner = Caller.PartnerOf("NG");

        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.Clear(partner, new ClearanceDecision(true, ["rt-not-on-it"], "Not ours"))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.Clear(partner, new ClearanceDecision(true, [returnee], " "))));
        Assert.Empty((await operation.GetView())!.Clearances);
        var rejected = await operation.Clear(partner, new ClearanceDecision(true, [returnee], "Nationality not confirmed"));

        var clearance = Assert.Single(rejected.Clearances);
        Assert.False(clearance.Cleared);
        Assert.Equal([returnee], clearance.RejectedReturnees);
        Assert.Equal("Nationality not confirmed", clearance.Reason);
    }

    [Fact]
    public async Task Incidents_and_complaints_reach_the_fro_role_at_once()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        await Book(operation, "DE", "b1", [await Returnee("DE")], escorts: 2);
        await operation.AssignMonitor(Organiser, "monitor-1");

        await operation.FileIncident(Caller.CoordinatorOf("DE"), new IncidentReport("restraint", true, "bruised wrist", "medic examined", "resolved", false, "Handcuffs at boarding."));
        await operation.FileIncident(Caller.MonitorUser("monitor-1"), new IncidentReport("treatment", false, null, null, null, true, "Returnee complained about food."));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            operation.FileIncident(Caller.CoordinatorOf("FR"), new IncidentReport("x", false, null, null, null, false, "not a participant")));

        Assert.Equal(1, await Outbox("incident.filed", Destination.Role("fro")));
        Assert.Equal(1, await Outbox("complaint.filed", Destination.Role("fro")));
    }
}
