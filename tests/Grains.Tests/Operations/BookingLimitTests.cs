using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Issue 11, defect 1: the grain bounds every count before it sums seats, so a sum never wraps.</summary>
public sealed class BookingLimitTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Counts_that_would_overflow_the_seats_are_refused_before_anything_changes(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 10));
        var returnee = await Returnee("AT");
        var before = (await operation.GetView())!;

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => operation.RequestBooking(Caller.CoordinatorOf("AT"),
            new BookingRequest("b1", [returnee], Escorts: int.MaxValue, Medical: int.MaxValue)));

        Assert.Equal(RuleCode.Validation, refused.Rule);
        var after = (await operation.GetView())!;
        Assert.Equal((before.Version, before.Seats), (after.Version, after.Seats));
        Assert.Equal(new SeatSummary(10, 0, 0, 10), after.Seats);
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM outbox WHERE type LIKE 'booking.%'"));
        Assert.Equal(BookingStatus.Confirmed, (await Book(operation, "AT", "b2", [returnee], escorts: 2, medical: 1)).Status);
        Assert.Equal(new SeatSummary(10, 4, 0, 6), (await operation.GetView())!.Seats);
    }

    [Theory]
    [InlineData(BookingLimits.MaxEscorts + 1, 0, 0, 0, 0)]
    [InlineData(2, BookingLimits.MaxMedical + 1, 0, 0, 0)]
    [InlineData(2, 0, BookingLimits.MaxMonitors + 1, 0, 0)]
    [InlineData(2, 0, 0, BookingLimits.MaxInterpreters + 1, 0)]
    [InlineData(2, 0, 0, 0, BookingLimits.MaxObservers + 1)]
    [InlineData(-1, 0, 0, 0, 0)]
    [InlineData(2, int.MinValue, 0, 0, 0)]
    public async Task Each_count_beyond_its_range_is_a_validation_error(int escorts, int medical, int monitors, int interpreters, int observers)
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: BookingLimits.MaxSeatCapacity));
        var returnee = await Returnee("AT");

        Assert.Equal(RuleCode.Validation, await RuleOf(() => operation.RequestBooking(Caller.CoordinatorOf("AT"),
            new BookingRequest("b1", [returnee], escorts, medical, monitors, interpreters, observers))));
        Assert.Empty(await operation.GetBookings(Caller.CoordinatorOf("AT")));
    }

    [Fact]
    public async Task More_returnees_than_a_booking_may_name_is_a_validation_error()
    {
        await StartAsync();
        var operation = await AnnouncedAsync(Plan(capacity: BookingLimits.MaxSeatCapacity));
        string[] many = [.. Enumerable.Range(0, BookingLimits.MaxReturneesPerBooking + 1).Select(i => $"r-at-none-{i}")];

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Book(operation, "AT", "b1", many, escorts: 0)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_plan_beyond_the_seat_capacity_or_escort_ratio_maximum_is_refused(string provider)
    {
        await StartAsync(provider);

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Grains.GetGrain<IReturnOperationGrain>("op-big").Create(Plan(capacity: BookingLimits.MaxSeatCapacity + 1))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => Grains.GetGrain<IReturnOperationGrain>("op-ratio").Create(Plan() with { EscortsPerReturnee = decimal.MaxValue })));
        Assert.Null(await Grains.GetGrain<IReturnOperationGrain>("op-big").GetView());
        Assert.NotNull(await Grains.GetGrain<IReturnOperationGrain>("op-max").Create(Plan(capacity: BookingLimits.MaxSeatCapacity)));
    }
}
