using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Costs;

namespace ReturnOps.Grains.Tests.Costs;

/// <summary>Rule 19's arithmetic: shares of the net cost by seats, largest remainder, to the cent.</summary>
public sealed class CostShareTests
{
    private static readonly string[] s_countries = ["AT", "BE", "DE", "HR", "PL", "RS"];

    /// <summary>A random operation: cost lines with cents, co-financing up to the costs, 1 to 6 states with 0 to 60 seats.</summary>
    public sealed record RandomOperation(decimal[] Costs, decimal CoFinancingPart, int[] Seats)
    {
        public decimal TotalCosts => Costs.Sum();

        /// <summary>Co-financing is a fraction of the costs, in whole cents, never above them (the grain refuses more).</summary>
        public decimal Net => TotalCosts - decimal.Floor(TotalCosts * CoFinancingPart * 100) / 100;

        public Dictionary<string, int> SeatsByCountry => Seats.Select((s, i) => (s_countries[i], s)).ToDictionary(p => p.Item1, p => p.s, StringComparer.Ordinal);

        public override string ToString() => $"costs [{string.Join(", ", Costs)}], net {Net}, seats [{string.Join(", ", Seats)}]";
    }

    private static readonly Gen<RandomOperation> s_operation =
        from lines in Gen.Choose(1, 12)
        from cents in Gen.ArrayOf(Gen.Choose(1, int.MaxValue / 100), lines)
        from part in Gen.Elements(0m, 0m, 0.25m, 0.5m, 0.75m, 0.9m, 1m)
        from states in Gen.Choose(1, s_countries.Length)
        from seats in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 60))), states)
        select new RandomOperation([.. cents.Select(c => c / 100m)], part, seats);

    [Fact]
    public void Shares_add_up_to_the_net_cost_to_the_cent_each_within_a_cent_of_its_exact_share_and_zero_seats_pay_nothing()
    {
        var property = Prop.ForAll(Arb.From(s_operation), operation =>
        {
            var seats = operation.SeatsByCountry;
            var shares = CostShares.Split(operation.Net, seats, organiser: "AT");
            var total = seats.Values.Sum();
            Assert.Equal(operation.Net, shares.Sum(s => s.Share));
            Assert.All(shares, s => Assert.Equal(s.Share, decimal.Round(s.Share, 2)));
            if (total == 0)
            {
                // Nobody held a seat: the organiser chartered the plane and carries it.
                Assert.Equal(operation.Net, shares.Single(s => s.Country == "AT").Share);
                return;
            }
            foreach (var share in shares)
            {
                var exact = operation.Net * share.Seats / total;
                Assert.True(Math.Abs(share.Share - exact) < 0.01m, $"{share.Country}: {share.Share} is not within a cent of {exact}");
                if (share.Seats == 0)
                {
                    Assert.Equal(0m, share.Share);
                }
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void The_cents_left_over_go_to_the_largest_remainders_then_by_country_code()
    {
        // 100.00 / 3: each 33.33 with a third of a cent over; the one cent left goes to the first code.
        var even = CostShares.Split(100m, new Dictionary<string, int> { ["HR"] = 1, ["AT"] = 1, ["DE"] = 1 }, "DE");
        Assert.Equal([("AT", 33.34m), ("DE", 33.33m), ("HR", 33.33m)], even.Select(s => (s.Country, s.Share)));
        // 10.00 by 1:2:4 → 1.428…, 2.857…, 5.714…: remainders 6/7, 5/7 and 3/7 of a cent; the two cents left go to AT and BE.
        var uneven = CostShares.Split(10m, new Dictionary<string, int> { ["AT"] = 1, ["BE"] = 2, ["DE"] = 4 }, "AT");
        Assert.Equal([1.43m, 2.86m, 5.71m], uneven.Select(s => s.Share));
        Assert.Equal(10m, uneven.Sum(s => s.Share));
    }

    [Fact]
    public void The_organiser_without_seats_has_a_share_of_zero_unless_nobody_held_a_seat()
    {
        var shared = CostShares.Split(900m, new Dictionary<string, int> { ["DE"] = 3 }, "AT");
        Assert.Equal([("AT", 0, 0m), ("DE", 3, 900m)], shared.Select(s => (s.Country, s.Seats, s.Share)));
        var alone = CostShares.Split(900m, new Dictionary<string, int>(), "AT");
        Assert.Equal(("AT", 0, 900m), (alone.Single().Country, alone.Single().Seats, alone.Single().Share));
    }

    [Fact]
    public void A_net_cost_that_is_not_whole_cents_is_a_bug_and_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostShares.Split(1.005m, new Dictionary<string, int> { ["AT"] = 1 }, "AT"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostShares.Split(-1m, new Dictionary<string, int> { ["AT"] = 1 }, "AT"));
    }
}
