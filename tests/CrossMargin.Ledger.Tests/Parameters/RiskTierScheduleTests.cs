using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Tests.Parameters;

public sealed class RiskTierScheduleTests
{
    [Test]
    public void Derives_caps_and_maintenance_amounts_by_the_recursion()
    {
        var tiers = Samples.BtcTiers.Tiers;
        // cum₁ = 0; cum₂ = 50 000 × (0.005 − 0.004) + 0 = 50;
        // cum₃ = 250 000 × (0.01 − 0.005) + 50 = 1 300; cum₄ = 1 000 000 × (0.025 − 0.01) + 1 300 = 16 300
        Assert.That(tiers.Select(t => t.MaintenanceAmount), Is.EqualTo(new[] { 0m, 50m, 1_300m, 16_300m }));
        Assert.That(tiers.Select(t => t.Cap), Is.EqualTo(new decimal?[] { 50_000m, 250_000m, 1_000_000m, null }));
    }

    [TestCase(49_999.99, 1)]
    [TestCase(50_000, 2)]
    [TestCase(249_999.99, 2)]
    [TestCase(250_000, 3)]
    [TestCase(5_000_000, 4)]
    [TestCase(0, 1)]
    public void A_bracket_holds_its_floor_and_not_its_cap(decimal notional, int expected) =>
        Assert.That(Samples.BtcTiers.For(notional).Number, Is.EqualTo(expected));

    [Test]
    public void Maintenance_margin_is_continuous_at_every_bracket_floor()
    {
        var tiers = Samples.BtcTiers.Tiers;
        for (var n = 1; n < tiers.Length; n++)
        {
            var floor = tiers[n].Floor;
            // e.g. at 250 000: bracket 2 gives 250 000 × 0.005 − 50 = 1 200, bracket 3 gives 250 000 × 0.01 − 1 300 = 1
            // 200
            Assert.That(
                tiers[n].MaintenanceMargin(floor),
                Is.EqualTo(tiers[n - 1].MaintenanceMargin(floor)),
                $"at {floor}"
            );
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public bool Maintenance_margin_is_monotone_in_notional(uint a, uint b)
    {
        decimal lo = Math.Min(a, b),
            hi = Math.Max(a, b);
        return Samples.BtcTiers.For(lo).Tier.MaintenanceMargin(lo)
            <= Samples.BtcTiers.For(hi).Tier.MaintenanceMargin(hi);
    }

    [Test]
    public void A_given_maintenance_amount_must_equal_the_derived_one()
    {
        var schedule = RiskTierSchedule.Create([
            new(0m, 0.004m, 125m),
            new(50_000m, 0.005m, 100m, MaintenanceAmount: 60m),
        ]);
        Assert.That(schedule.IsValid, Is.False);
        Assert.That(schedule.Problem, Does.Contain("tiers[1].maintenanceAmount is 60").And.Contain("give 50"));
        Assert.That(
            RiskTierSchedule
                .Create([new(0m, 0.004m, 125m), new(50_000m, 0.005m, 100m, MaintenanceAmount: 50m)])
                .IsValid,
            Is.True
        );
    }

    [TestCase(10, 0.004, 125, "tiers[0].floor must be 0")]
    [TestCase(0, 1, 1, "tiers[0].mmr must be in (0, 1)")]
    [TestCase(0, 0.01, 100, "mmr × maxLeverage = 1")]
    [TestCase(0, 0.004, 0.5, "maxLeverage must be at least 1")]
    public void Invalid_brackets_are_named(decimal floor, decimal mmr, decimal maxLeverage, string message)
    {
        Assert.That(RiskTierSchedule.Create([new(floor, mmr, maxLeverage)]).Problem, Does.Contain(message));
    }

    [Test]
    public void Floors_must_rise_rates_must_not_fall_and_leverage_must_not_rise()
    {
        var floors = RiskTierSchedule.Create([new(0m, 0.004m, 125m), new(0m, 0.005m, 100m)]).Problem;
        var rates = RiskTierSchedule.Create([new(0m, 0.005m, 125m), new(50_000m, 0.004m, 100m)]).Problem;
        var leverage = RiskTierSchedule.Create([new(0m, 0.004m, 100m), new(50_000m, 0.005m, 125m)]).Problem;
        Assert.Multiple(() =>
        {
            Assert.That(floors, Does.Contain("tiers[1].floor 0 must be above"));
            Assert.That(rates, Does.Contain("tiers[1].mmr 0.004 must not be below"));
            Assert.That(leverage, Does.Contain("tiers[1].maxLeverage 125 must not be above"));
        });
    }
}
