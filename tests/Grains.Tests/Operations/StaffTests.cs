using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Rule 6 for staff: booked as counts, named by service number with a travel document valid at departure, all named to confirm.</summary>
public sealed class StaffTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");
    private static readonly Caller German = Caller.CoordinatorOf("DE");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TravelDocument_staff_must_be_named_with_valid_documents_to_confirm(string provider)
    {
        await StartAsync(provider);
        var operation = await ClosedAndClearedAsync();
        var german = (await operation.GetBookings(German)).Single();

        var unnamed = await Assert.ThrowsAsync<DomainRuleException>(() => operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed)));
        Assert.Equal(RuleCode.TravelDocument, unnamed.Rule);
        Assert.Contains(unnamed.Violations, v => v.Detail.Contains("Booking de", StringComparison.Ordinal));
        Assert.Contains(unnamed.Violations, v => v.Detail.Contains("Booking at", StringComparison.Ordinal));

        await NameStaffAsync(operation);
        var confirmed = await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));

        Assert.Equal(OperationStatus.Confirmed, confirmed.Status);
        Assert.Equal(german.Seats - german.ReturneeCount, (await operation.GetBookings(German)).Single().NamedStaff);
    }

    [Fact]
    public async Task TravelDocument_a_staff_document_expiring_before_departure_is_refused_and_nothing_changes()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var booking = await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2, medical: 1);
        var staff = StaffFor(booking, DepartureDay.AddYears(1));
        var version = (await operation.GetView())!.Version;

        staff[1] = staff[1] with { TravelDocumentValidUntil = DepartureDay.AddDays(-1) };
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => operation.NameStaff(German, "de", staff));

        Assert.Equal(RuleCode.TravelDocument, refused.Rule);
        Assert.Contains(staff[1].Reference, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await operation.GetBookings(German)).Single().NamedStaff);
        Assert.Equal(version, (await operation.GetView())!.Version);
        // Valid on the day of departure itself is enough.
        staff[1] = staff[1] with { TravelDocumentValidUntil = DepartureDay };
        Assert.Equal(3, (await operation.NameStaff(German, "de", staff)).NamedStaff);
    }

    [Fact]
    public async Task Validation_the_named_staff_must_match_the_booked_counts_per_role_with_distinct_references()
    {
        await StartAsync();
        var operation = await AnnouncedAsync();
        var booking = await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2, medical: 1);
        var staff = StaffFor(booking, DepartureDay.AddYears(1));

        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.NameStaff(German, "de", [])));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.NameStaff(German, "de", staff[..2])));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.NameStaff(German, "de", [staff[0], staff[1] with { Role = StaffRole.Medical }, staff[2]])));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.NameStaff(German, "de", [staff[0], staff[1] with { Reference = staff[0].Reference }, staff[2]])));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.NameStaff(German, "de", [staff[0] with { Reference = " " }, staff[1], staff[2]])));
        Assert.Equal(0, (await operation.GetBookings(German)).Single().NamedStaff);
    }

    [Fact]
    public async Task NameStaff_only_the_bookings_country_until_departure_and_a_list_can_be_replaced()
    {
        await StartAsync();
        var operation = await ClosedAndClearedAsync();
        var booking = (await operation.GetBookings(German)).Single();
        var staff = StaffFor(booking, DepartureDay.AddYears(1));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.NameStaff(Organiser, booking.Id, staff));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => operation.NameStaff(Caller.PartnerOf("NG"), booking.Id, staff));
        await operation.NameStaff(German, booking.Id, staff);
        var version = (await operation.GetView())!.Version;

        // The same list again (a repeated PUT) changes nothing; another list replaces it.
        Assert.Equal(staff, (await operation.NameStaff(German, booking.Id, staff)).Staff);
        Assert.Equal(version, (await operation.GetView())!.Version);
        List<StaffMember> replaced = [staff[0] with { Reference = "DE-4711" }, .. staff[1..]];
        Assert.Equal("DE-4711", (await operation.NameStaff(German, booking.Id, replaced)).Staff[0].Reference);

        await NameStaffAsync(operation);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Confirmed));
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Departed));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => operation.NameStaff(German, booking.Id, replaced)));
    }

    [Fact]
    public async Task Access_manifest_shows_staff_documents_only_to_their_country_and_the_organiser()
    {
        await StartAsync();
        var operation = await ClosedAndClearedAsync();
        await NameStaffAsync(operation);

        var organiser = await operation.GetManifest(Organiser);
        var german = await operation.GetManifest(German);
        var partner = await operation.GetManifest(Caller.PartnerOf("NG"));

        Assert.All(organiser.Staff.SelectMany(l => l.Members), m => Assert.NotNull(m.TravelDocumentValidUntil));
        var own = Assert.Single(german.Staff);
        Assert.Equal(("DE", 3), (own.Country, own.Members.Count));
        Assert.All(own.Members, m => Assert.Equal(DepartureDay.AddYears(1), m.TravelDocumentValidUntil));
        // The destination learns who comes (service number and role) and how many, not the documents.
        Assert.Equal(5, partner.Staff.Sum(l => l.Members.Count));
        Assert.All(partner.Staff.SelectMany(l => l.Members), m => Assert.Null(m.TravelDocumentValidUntil));
        Assert.Equal(organiser.Staff.SelectMany(l => l.Members).Select(m => (m.Reference, m.Role)), partner.Staff.SelectMany(l => l.Members).Select(m => (m.Reference, m.Role)));
    }

    /// <summary>Austria and Germany booked (2 escorts and a medic each, Germany; 2 escorts, Austria), a monitor assigned, booking closed and cleared.</summary>
    private async Task<IReturnOperationGrain> ClosedAndClearedAsync()
    {
        var operation = await AnnouncedAsync();
        await Book(operation, "AT", "at", [await Returnee("AT")], escorts: 2);
        await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2, medical: 1);
        await operation.AssignMonitor(Caller.SecretariatUser(), "monitor-1");
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Caller.CoordinatorOf("AT"));
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], null));
        return operation;
    }
}
