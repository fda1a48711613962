using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Tests.Parameters;

public sealed class CollateralScheduleTests
{
    private static readonly CollateralSchedule FullThenHaircut = CollateralSchedule
        .Create([new CollateralRatioTier(0m, 1m), new CollateralRatioTier(100_000_000m, 0.975m)])
        .Value;

    // bands apply marginally: value = Σ (part of raw value inside the band) × ratio
    [TestCase(50_000_000, 50_000_000)] // all in band 1: 50 M × 1
    [TestCase(100_000_000, 100_000_000)] // exactly at the floor of band 2
    [TestCase(150_000_000, 148_750_000)] // 100 M × 1 + 50 M × 0.975 = 148.75 M
    [TestCase(0, 0)]
    [TestCase(-5, 0)]
    public void Values_raw_value_band_by_band(decimal raw, decimal expected) =>
        Assert.That(FullThenHaircut.Value(raw), Is.EqualTo(expected));

    [Test]
    public void Rejects_rising_ratios_and_ratios_out_of_range()
    {
        var rising = CollateralSchedule
            .Create([new CollateralRatioTier(0m, 0.9m), new CollateralRatioTier(10m, 0.95m)])
            .Problem;
        var above = CollateralSchedule.Create([new CollateralRatioTier(0m, 1.1m)]).Problem;
        Assert.That(rising, Does.Contain("ratios[1].ratio 0.95 must not be above"));
        Assert.That(above, Does.Contain("ratios[0].ratio must be in (0, 1]"));
    }
}
