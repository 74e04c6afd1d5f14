using System.Diagnostics;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>
/// Delivery throughput and backlog drain, reported in docs/messaging.md. Explicit: run by hand with
/// <c>tests/Silo.Tests/bin/Release/net10.0/ReturnOps.Silo.Tests -explicit only -class ReturnOps.Silo.Tests.Messaging.MessagingBenchmarks</c>.
/// </summary>
public sealed class MessagingBenchmarks(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    private static readonly string[] Countries =
        ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT"];

    [Theory(Explicit = true)]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Deliveries_per_second_to_loopback_receivers(int destinations)
    {
        const int Lanes = 40;
        const int PerLane = 100;
        var (_, cluster) = await StartAsync("Postgres");
        var node = Node(cluster[0], new MessagingOptions { Random = new Random(7) });
        var partners = new List<Partner>();
        for (var i = 0; i < destinations; i++)
        {
            var partner = await PartnerAsync();
            await Subscribe(node, Countries[i], partner);
            partners.Add(partner);
        }
        for (var lane = 0; lane < Lanes; lane++)
        {
            await node.Publish(Countries[lane % destinations], $"op-{lane}", 1, PerLane);
        }

        var watch = Stopwatch.StartNew();
        await node.Dispatcher.StartAsync(CancellationToken.None);
        await Eventually.True(() => partners.Sum(p => p.Applied.Count) == Lanes * PerLane, "every message delivered", TimeSpan.FromMinutes(3));
        watch.Stop();

        Report($"{destinations} destination(s): {Lanes * PerLane} messages in {Lanes} lanes delivered in {watch.Elapsed.TotalSeconds:0.00} s = " +
            $"{Lanes * PerLane / watch.Elapsed.TotalSeconds:0} deliveries/s");
    }

    [Fact(Explicit = true)]
    public async Task Time_to_drain_ten_thousand_messages_after_a_sixty_second_outage()
    {
        const int Lanes = 100;
        const int PerLane = 100;
        var (_, cluster) = await StartAsync("Postgres");
        var node = Node(cluster[0], new MessagingOptions { Random = new Random(7) });
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await partner.StopAsync();
        for (var lane = 0; lane < Lanes; lane++)
        {
            await node.Publish("AT", $"op-{lane}", 1, PerLane);
        }
        // The outage: every lane's first message fails and the circuit opens; then a minute passes.
        while (await node.Dispatcher.DispatchOnceAsync() > 0)
        {
        }
        Clock.Advance(TimeSpan.FromSeconds(60));
        await partner.StartAgainAsync();

        var watch = Stopwatch.StartNew();
        await node.Dispatcher.StartAsync(CancellationToken.None);
        await Eventually.True(() => partner.Applied.Count == Lanes * PerLane, "the backlog delivered", TimeSpan.FromMinutes(5));
        watch.Stop();

        Report($"backlog of {Lanes * PerLane} messages in {Lanes} lanes drained in {watch.Elapsed.TotalSeconds:0.00} s after the partner came back " +
            $"({Lanes * PerLane / watch.Elapsed.TotalSeconds:0} deliveries/s)");
    }

    private static void Report(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "returnops-messaging-bench.txt"), line + Environment.NewLine);
    }
}
