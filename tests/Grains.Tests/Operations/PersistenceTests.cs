using System.Text.Json;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>Everything a grain knows is in its stored state: a fresh activation answers exactly as the old one did.</summary>
public sealed class PersistenceTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_operation_and_its_returnees_read_back_the_same_after_reactivation(string provider)
    {
        await StartAsync(provider);
        var operation = await AnnouncedAsync(Plan(capacity: 6) with { EscortsPerReturnee = 1.5m });
        var family = new[] { await Returnee("AT", c => c with { FamilyGroup = "f", Vulnerabilities = ["pregnancy"] }), await Returnee("AT", c => c with { FamilyGroup = "f" }) };
        await Book(operation, "AT", "b1", family, escorts: 3, medical: 1);
        var german = await Returnee("DE");
        await Book(operation, "DE", "b2", [german], escorts: 2);
        await operation.AssignMonitor(Caller.SecretariatUser(), "m1");
        await Grains.UpdateReturneeAsync(german, "DE", EligibleCase("DE") with { AppealPending = true, AppealSuspensive = true });
        await operation.ChangeStatus(Caller.CoordinatorOf("AT"), new StatusChange(OperationStatus.BookingClosed));
        await operation.ShareManifest(Caller.CoordinatorOf("AT"));
        await operation.Clear(Caller.PartnerOf("NG"), new ClearanceDecision(true, [], "ok"));
        var before = await SnapshotAsync(operation, family.Append(german));

        await Cluster.DeactivateDomainGrainsAsync();
        Assert.Equal(0, await Cluster.DomainActivationCountAsync());

        Assert.Equal(before, await SnapshotAsync(operation, family.Append(german)));
    }

    [Fact]
    public async Task Registering_the_same_case_twice_is_harmless()
    {
        await StartAsync();
        var id = await Returnee("AT", c => c with { Vulnerabilities = ["health"] });
        var again = (await Grains.GetGrain<IReturneeGrain>(id).Get())!.Case! with { Vulnerabilities = ["health"] };

        Assert.Equal(id, (await Grains.GetGrain<IReturneeGrain>(id).Register("AT", again)).Id);
        Assert.Equal(RuleCode.Validation, await RuleOf(() => Grains.GetGrain<IReturneeGrain>(id).Register("DE", again)));
    }

    private async Task<string> SnapshotAsync(IReturnOperationGrain operation, IEnumerable<string> returnees)
    {
        var parts = new List<object?>
        {
            await operation.GetView(),
            await operation.GetBookings(Caller.CoordinatorOf("AT")),
            await operation.GetManifest(Caller.CoordinatorOf("AT")),
        };
        foreach (var id in returnees)
        {
            parts.Add(await Grains.GetGrain<IReturneeGrain>(id).Get());
        }
        return JsonSerializer.Serialize(parts);
    }
}
