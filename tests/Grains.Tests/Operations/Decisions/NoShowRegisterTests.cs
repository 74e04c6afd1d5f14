using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// No-shows decided with no cluster (<see cref="NoShowRegister"/>): recorded after departure by the organiser or the returnee's
/// country, off the manifest with the seat counts kept, told to the owner by name and to the others as counts.
/// </summary>
public sealed class NoShowRegisterTests
{
    private static readonly DateTimeOffset s_boarding = AnnouncedOperation.Deadline.AddDays(2);

    [Fact]
    public void A_no_show_leaves_the_manifest_but_its_booking_keeps_the_seats()
    {
        var operation = Departed();
        var booking = Register(operation).OnManifest(Caller.CoordinatorOf("DE"), "de-1");

        var (noShow, _) = Register(operation).Record(booking, "de-1", NoShowReason.Absconded, s_boarding);

        Assert.Equal(("de-1", "de", "DE", NoShowReason.Absconded, s_boarding), (noShow.ReturneeId, noShow.BookingId, noShow.Country, noShow.Reason, noShow.RecordedAt));
        Assert.Equal(["de-2"], booking.Returnees.Select(r => r.Id));
        Assert.Equal((2, 5), (booking.ReturneeCount, booking.Seats));
        Assert.Equal([noShow], operation.State.NoShows);
    }

    [Fact]
    public void The_owner_learns_who_the_organiser_and_the_secretariat_only_how_many()
    {
        var operation = Departed();
        var booking = operation.Booking("de");
        Register(operation).Record(booking, "de-1", NoShowReason.Medical, s_boarding);

        var (_, notices) = Register(operation).Record(booking, "de-2", NoShowReason.Medical, s_boarding);

        Assert.Equal([(Destination.Country("DE"), "de-2"), (Destination.Country("AT"), null), (Destination.Role(Caller.Secretariat), null)],
            notices.Select(n => (n.Destination, n.Body.ReturneeId)));
        Assert.All(notices, n => Assert.Equal(2, n.Body.Seats));
    }

    [Fact]
    public void Only_the_organiser_or_the_returnees_country_records_others_learn_nothing()
    {
        var operation = Departed();

        Assert.Equal("de", Register(operation).OnManifest(Caller.CoordinatorOf("AT"), "de-1").Id);
        Assert.Throws<ResourceNotFoundException>(() => Register(operation).OnManifest(Caller.CoordinatorOf("HU"), "de-1"));
        Assert.Throws<ResourceNotFoundException>(() => Register(operation).OnManifest(Caller.PartnerOf("NG"), "de-1"));
        Assert.Throws<ResourceNotFoundException>(() => Register(operation).OnManifest(Caller.CoordinatorOf("DE"), "not-booked"));
    }

    [Fact]
    public void No_shows_are_recorded_after_departure_until_retention_erases_the_manifest()
    {
        var operation = Departed();
        var booking = operation.Booking("de");

        operation.State.Status = OperationStatus.Confirmed;
        Assert.Throws<DomainRuleException>(() => Register(operation).Record(booking, "de-1", NoShowReason.Other, s_boarding));
        operation.State.Status = OperationStatus.Completed;
        operation.State.PersonalDataErased = true;
        Assert.Throws<DomainRuleException>(() => Register(operation).Record(booking, "de-1", NoShowReason.Other, s_boarding));
        Assert.Throws<DomainRuleException>(() => Register(Departed()).Record(booking, "de-1", (NoShowReason)99, s_boarding));

        Assert.Empty(operation.State.NoShows);
        Assert.Equal(2, booking.Returnees.Count);
    }

    [Fact]
    public void The_same_no_show_again_is_a_repeat_and_another_reason_is_refused()
    {
        var operation = Departed();
        Register(operation).Record(operation.Booking("de"), "de-1", NoShowReason.Resistance, s_boarding);

        Assert.Equal("de", Register(operation).Recorded(Caller.CoordinatorOf("DE"), "de-1", NoShowReason.Resistance)?.BookingId);
        Assert.Null(Register(operation).Recorded(Caller.CoordinatorOf("HU"), "de-1", NoShowReason.Resistance));
        Assert.Null(Register(operation).Recorded(Caller.CoordinatorOf("DE"), "de-2", NoShowReason.Resistance));
        Assert.Throws<DomainRuleException>(() => Register(operation).Recorded(Caller.CoordinatorOf("DE"), "de-1", NoShowReason.Medical));
    }

    private static AnnouncedOperation Departed()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1"), Judged.Voluntary("DE", "de-2")], escorts: 2, medical: 1);
        operation.State.Status = OperationStatus.Departed;
        return operation;
    }

    private static NoShowRegister Register(AnnouncedOperation operation) => new(AnnouncedOperation.Id, operation.State);
}
