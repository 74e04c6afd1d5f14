using ReturnOps.Grains.Costs;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Costs;

/// <summary>Rule 19's record: the organiser's cost lines and co-financing, the refusals that change nothing, and the statement.</summary>
public sealed class OperationCostsTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly Caller Organiser = Caller.CoordinatorOf("AT");
    private static readonly CostLineEntry Charter = new(CostCategory.Charter, 48_000.10m, "A320 charter", "VIE", "LOS");

    [Fact]
    public async Task The_organiser_records_costs_and_co_financing_and_each_state_reads_its_share_of_the_net_cost()
    {
        await StartAsync();
        var (operation, costs) = await ClosedAsync();
        await costs.RecordCost(Organiser, "cl-1", Charter);
        await costs.RecordCost(Organiser, "cl-2", new CostLineEntry(CostCategory.StaffTravel, 1_999.95m, "Escort per diems"));
        var view = await costs.RecordCoFinancing(Organiser, "cf-1", new CoFinancingEntry("Frontex", 30_000m, "Reg. 2019/1896 Art 50"));

        Assert.Equal((50_000.05m, 30_000m, 20_000.05m), (view.TotalCosts, view.TotalCoFinancing, view.NetCost));
        // AT holds 4 seats, DE 3: 20,000.05 × 4/7 = 11,428.60 and × 3/7 = 8,571.45, both whole cents.
        var all = await costs.GetStatement(Caller.SecretariatUser());
        Assert.Equal([("AT", 4, 11_428.60m), ("DE", 3, 8_571.45m)], all.Shares.Select(s => (s.Country, s.Seats, s.Share)));
        Assert.Equal(all.NetCost, all.Shares.Sum(s => s.Share));
        var german = await costs.GetStatement(Caller.CoordinatorOf("DE"));
        Assert.Equal("DE", Assert.Single(german.Shares).Country);
        Assert.Equal(7, german.TotalSeats);
        Assert.False(german.Final);
        _ = operation;
    }

    [Fact]
    public async Task Another_state_s_statement_is_not_found_and_other_roles_are_denied()
    {
        await StartAsync();
        var (_, costs) = await ClosedAsync();
        await costs.RecordCost(Organiser, "cl-1", Charter);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => costs.GetStatement(Caller.CoordinatorOf("DE"), "AT"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => costs.GetStatement(Caller.CoordinatorOf("HR")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => costs.GetStatement(Caller.PartnerOf("NG")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => costs.GetCosts(Caller.CoordinatorOf("DE")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => costs.RecordCost(Caller.CoordinatorOf("DE"), "cl-9", Charter));
        Assert.Equal("AT", Assert.Single((await costs.GetStatement(Caller.SecretariatUser(), "AT")).Shares).Country);
        Assert.Single((await costs.GetCosts(Caller.SecretariatUser())).Costs);
    }

    [Fact]
    public async Task Bad_amounts_and_co_financing_beyond_the_costs_are_refused_and_change_nothing()
    {
        await StartAsync();
        var (_, costs) = await ClosedAsync();
        await costs.RecordCost(Organiser, "cl-1", Charter);
        await costs.RecordCoFinancing(Organiser, "cf-1", new CoFinancingEntry("Frontex", 40_000m));
        var before = await costs.GetCosts(Organiser);

        foreach (var amount in new[] { 0m, -5m, 10.001m, CostLimits.MaxAmount + 0.01m })
        {
            Assert.Equal(RuleCode.Validation, await RuleOf(() => costs.RecordCost(Organiser, "cl-2", Charter with { Amount = amount })));
        }
        Assert.Equal(RuleCode.Validation, await RuleOf(() => costs.RecordCost(Organiser, "cl-2", Charter with { From = "VIE", To = "VIE" })));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => costs.RecordCost(Organiser, "cl-2", new CostLineEntry(CostCategory.Medical, 10m, "Doctor", "VIE", "LOS"))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => costs.RecordCost(Organiser, "cl-2", Charter with { Description = " " })));
        Assert.Equal(RuleCode.CoFinancingBeyondCosts, await RuleOf(() => costs.RecordCoFinancing(Organiser, "cf-2", new CoFinancingEntry("Frontex", 8_000.11m))));
        // A correction or a removal that would leave the co-financing above the costs is refused too.
        Assert.Equal(RuleCode.CoFinancingBeyondCosts, await RuleOf(() => costs.CorrectCost(Organiser, "cl-1", Charter with { Amount = 39_999.99m })));
        Assert.Equal(RuleCode.CoFinancingBeyondCosts, await RuleOf(() => costs.RemoveLine(Organiser, "cl-1")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => costs.CorrectCost(Organiser, "cl-404", Charter));

        var after = await costs.GetCosts(Organiser);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Costs, after.Costs);
        Assert.Equal(before.CoFinancing, after.CoFinancing);
        Assert.Equal(8_000.10m, after.NetCost);
    }

    [Fact]
    public async Task A_retried_line_is_recorded_once_and_a_stale_version_is_refused()
    {
        await StartAsync();
        var (_, costs) = await ClosedAsync();
        var first = await costs.RecordCost(Organiser, "cl-1", Charter);
        var again = await costs.RecordCost(Organiser, "cl-1", Charter, expectedVersion: 0);

        Assert.Single(again.Costs);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(RuleCode.Validation, await RuleOf(() => costs.RecordCost(Organiser, "cl-1", Charter with { Amount = 1m })));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => costs.RecordCost(Organiser, "cl-2", Charter, expectedVersion: first.Version - 1));
    }

    [Fact]
    public async Task Two_corrections_from_the_same_version_at_once_let_exactly_one_through()
    {
        await StartAsync();
        var (_, costs) = await ClosedAsync();
        var read = await costs.RecordCost(Organiser, "cl-1", Charter);

        var attempts = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                await costs.CorrectCost(Organiser, "cl-1", Charter with { Amount = 1_000m + i }, read.Version);
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        }));

        Assert.Equal(1, attempts.Count(ok => ok));
        Assert.Equal(read.Version + 1, (await costs.GetCosts(Organiser)).Version);
    }

    [Fact]
    public async Task Once_the_operation_has_ended_the_statement_is_final_and_costs_no_longer_change()
    {
        await StartAsync();
        var (operation, costs) = await ClosedAsync();
        await costs.RecordCost(Organiser, "cl-1", Charter);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.Cancelled, "aircraft unavailable"));

        Assert.Equal(RuleCode.CostsFinal, await RuleOf(() => costs.RecordCost(Organiser, "cl-2", Charter)));
        Assert.Equal(RuleCode.CostsFinal, await RuleOf(() => costs.RemoveLine(Organiser, "cl-1")));
        var statement = await costs.GetStatement(Caller.SecretariatUser());
        Assert.True(statement.Final);
        // Cancelled after BookingClosed: the seats held then still carry the charter's cost.
        Assert.Equal(Charter.Amount, statement.Shares.Sum(s => s.Share));
        Assert.Equal([4, 3], statement.Shares.Select(s => s.Seats));
    }

    [Fact]
    public async Task Costs_of_an_unknown_operation_are_not_found()
    {
        await StartAsync();
        var costs = Grains.GetGrain<IOperationCostsGrain>("op-none");
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => costs.GetStatement(Caller.SecretariatUser()));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => costs.RecordCost(Organiser, "cl-1", Charter));
    }

    /// <summary>AT (organiser, 4 seats) and DE (3 seats) on an operation whose booking has closed.</summary>
    private async Task<(IReturnOperationGrain Operation, IOperationCostsGrain Costs)> ClosedAsync()
    {
        var operation = await AnnouncedAsync();
        await Book(operation, "AT", "at", [await Returnee("AT")], escorts: 2, medical: 1);
        await Book(operation, "DE", "de", [await Returnee("DE")], escorts: 2);
        await operation.ChangeStatus(Organiser, new StatusChange(OperationStatus.BookingClosed));
        return (operation, Grains.GetGrain<IOperationCostsGrain>("op-1"));
    }
}
