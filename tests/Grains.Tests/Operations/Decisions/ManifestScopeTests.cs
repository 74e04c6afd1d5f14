using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Rule 16 decided with no cluster (<see cref="ManifestScope"/>): the organiser and an assigned monitor see every confirmed
/// booking, a participant its own, a destination's partner all once shared, the secretariat counts only, others nothing.
/// </summary>
public sealed class ManifestScopeTests
{
    [Fact]
    public void The_organiser_and_an_assigned_monitor_see_every_confirmed_booking()
    {
        var operation = Booked();
        operation.State.AssignedMonitors.Add("fm-1");

        Assert.Equal(["at", "de"], Visible(operation, Caller.CoordinatorOf("AT")));
        Assert.Equal(["at", "de"], Visible(operation, Caller.MonitorUser("fm-1")));
    }

    [Fact]
    public void A_participant_sees_only_its_own_confirmed_bookings()
    {
        Assert.Equal(["de"], Visible(Booked(), Caller.CoordinatorOf("DE")));
        Assert.Empty(Visible(Booked(), Caller.CoordinatorOf("HU")));
    }

    [Fact]
    public void A_destination_sees_all_only_once_shared_and_not_after_a_cancellation()
    {
        var operation = Booked();
        Assert.Throws<ResourceNotFoundException>(() => Visible(operation, Caller.PartnerOf("NG")));

        operation.State.ManifestShared = true;
        Assert.Equal(["at", "de"], Visible(operation, Caller.PartnerOf("NG")));

        operation.State.Status = OperationStatus.Cancelled;
        Assert.Throws<ResourceNotFoundException>(() => Visible(operation, Caller.PartnerOf("NG")));
    }

    [Fact]
    public void The_secretariat_is_refused_and_strangers_learn_nothing()
    {
        var operation = Booked();
        operation.State.ManifestShared = true;

        Assert.Throws<AccessDeniedException>(() => Visible(operation, Caller.SecretariatUser()));
        Assert.Throws<ResourceNotFoundException>(() => Visible(operation, Caller.CoordinatorOf("FR")));
        Assert.Throws<ResourceNotFoundException>(() => Visible(operation, Caller.PartnerOf("GH")));
        Assert.Throws<ResourceNotFoundException>(() => Visible(operation, Caller.MonitorUser("not-assigned")));
    }

    [Fact]
    public void Staff_documents_show_to_their_country_and_the_organiser_only()
    {
        var operation = Booked();
        var until = new DateOnly(2030, 1, 1);
        operation.Booking("de").Staff = [new StaffMember("S-1", StaffRole.Medical, until)];
        var visible = operation.State.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();

        DateOnly? DocumentFor(Caller caller) => ManifestScope.StaffLines(caller, "AT", visible).Single(l => l.Country == "DE").Members.Single().TravelDocumentValidUntil;

        Assert.Equal(until, DocumentFor(Caller.CoordinatorOf("DE")));
        Assert.Equal(until, DocumentFor(Caller.CoordinatorOf("AT")));
        Assert.Null(DocumentFor(Caller.PartnerOf("NG")));
        Assert.Null(DocumentFor(Caller.MonitorUser("fm-1")));
    }

    /// <summary>AT and DE confirmed, HU waitlisted (it holds a booking, but nothing on the manifest).</summary>
    private static AnnouncedOperation Booked()
    {
        var operation = new AnnouncedOperation(capacity: 4);
        operation.Book("AT", "at", [Judged.Voluntary("AT", "at-1")], medical: 1);
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1")], medical: 1);
        operation.Book("HU", "hu", [Judged.Voluntary("HU", "hu-1")], medical: 1);
        operation.State.Status = OperationStatus.BookingClosed;
        return operation;
    }

    private static List<string> Visible(AnnouncedOperation operation, Caller caller) =>
        [.. ManifestScope.Visible(caller, operation.State, AnnouncedOperation.Id).Select(b => b.Id)];
}
