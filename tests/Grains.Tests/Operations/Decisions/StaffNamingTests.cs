using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Rule 6 for staff decided with no cluster (<see cref="StaffNaming"/>): exactly the booked count per role, well-formed references
/// that name one person once, travel documents valid on the day of departure; a refusal changes nothing.
/// </summary>
public sealed class StaffNamingTests
{
    private static readonly DateOnly s_valid = DateOnly.FromDateTime(AnnouncedOperation.Deadline.AddYears(1).UtcDateTime);

    [Fact]
    public void The_booked_staff_named_with_valid_documents_are_stored_once()
    {
        var (operation, booking) = Booked();
        List<StaffMember> staff = [new("E1", StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)];

        Assert.True(Naming(operation).Name(booking, staff));

        Assert.Equal(staff, booking.Staff);
        Assert.True(StaffNaming.Repeats(booking, staff));
        Assert.False(Naming(operation).Name(booking, staff));
    }

    [Fact]
    public void A_list_that_differs_from_the_booked_counts_is_refused()
    {
        var (operation, booking) = Booked();

        Assert.Equal([RuleCode.Validation], Refused(operation, booking, [new("E1", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)]));
        Assert.Equal([RuleCode.Validation, RuleCode.Validation],
            Refused(operation, booking, [new("E1", StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("I1", StaffRole.Interpreter, s_valid)]));
    }

    [Fact]
    public void A_document_expiring_before_the_day_of_departure_is_refused_and_one_valid_that_day_is_not()
    {
        var (operation, booking) = Booked();
        var departureDay = DateOnly.FromDateTime(operation.Plan.Legs[0].Departure.UtcDateTime);

        Assert.Equal([RuleCode.TravelDocument],
            Refused(operation, booking, [new("E1", StaffRole.Escort, departureDay.AddDays(-1)), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)]));
        Assert.True(Naming(operation).Name(booking, [new("E1", StaffRole.Escort, departureDay), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)]));
    }

    [Fact]
    public void A_person_takes_one_seat_a_reference_twice_or_in_another_booking_of_the_country_is_refused()
    {
        var (operation, booking) = Booked();
        operation.Book("DE", "de-2", [], medical: 1);
        operation.Booking("de-2").Staff = [new("M9", StaffRole.Medical, s_valid)];

        Assert.Equal([RuleCode.Validation],
            Refused(operation, booking, [new("E1", StaffRole.Escort, s_valid), new("E1", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)]));
        Assert.Equal([RuleCode.Validation],
            Refused(operation, booking, [new("E1", StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("M9", StaffRole.Medical, s_valid)]));
    }

    [Fact]
    public void A_reference_must_look_like_a_service_number()
    {
        var (operation, booking) = Booked();
        var tooLong = new string('x', StaffNaming.MaxReferenceLength + 1);

        Assert.Equal([RuleCode.Validation],
            Refused(operation, booking, [new(tooLong, StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)]));
        Assert.Equal([RuleCode.Validation],
            Refused(operation, booking, [new(" ", StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)]));
    }

    [Fact]
    public void Staff_are_named_only_for_a_booking_that_stands_until_departure()
    {
        var (operation, booking) = Booked();
        List<StaffMember> staff = [new("E1", StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)];
        operation.State.Status = OperationStatus.Departed;

        Assert.Equal([RuleCode.InvalidTransition], Refused(operation, booking, staff));
    }

    [Fact]
    public void At_confirmation_every_confirmed_booking_has_its_staff_named()
    {
        var (operation, booking) = Booked();

        Assert.Equal([RuleCode.TravelDocument, RuleCode.TravelDocument], Naming(operation).CheckNamed([booking]).Select(v => v.Rule));
        booking.Staff = [new("E1", StaffRole.Escort, s_valid), new("E2", StaffRole.Escort, s_valid), new("M1", StaffRole.Medical, s_valid)];
        Assert.Empty(Naming(operation).CheckNamed([booking]));
    }

    private static (AnnouncedOperation Operation, Booking Booking) Booked()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Forced("DE", "de-1")], escorts: 2, medical: 1);
        return (operation, operation.Booking("de"));
    }

    private static StaffNaming Naming(AnnouncedOperation operation) => new(operation.State);

    private static List<string> Refused(AnnouncedOperation operation, Booking booking, IReadOnlyList<StaffMember> staff)
    {
        var before = booking.Staff.ToList();
        var refused = Assert.Throws<DomainRuleException>(() => Naming(operation).Name(booking, staff));
        Assert.Equal(before, booking.Staff);
        return [.. refused.Violations.Select(v => v.Rule)];
    }
}
