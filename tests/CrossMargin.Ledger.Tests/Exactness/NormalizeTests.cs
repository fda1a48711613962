using CrossMargin.Ledger.Arithmetic;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// <see cref="Rounding.Normalize"/> strips trailing zeros from the coefficient itself instead of dividing by one; every
/// stored amount, hash and printed figure goes through it, so it must give the division's bits exactly: the same
/// coefficient, scale and sign, the sign of a zero included.
/// </summary>
public sealed class NormalizeTests
{
    private static readonly decimal[] Edges =
    [
        0m,
        -0m,
        0.000m,
        -0.000m,
        new(0, 0, 0, isNegative: true, scale: 0),
        new(0, 0, 0, isNegative: true, scale: 17),
        new(0, 0, 0, isNegative: false, scale: 28),
        decimal.MaxValue,
        decimal.MinValue,
        1.0000000000000000000000000000m,
        -10.00m,
        0.0000000000000000000000000001m,
        0.0000000000000000000000000010m,
        7.9228162514264337593543950330m,
        79228162514264337593543950330m,
        new(-10, -1, -1, isNegative: false, scale: 28),
        new(0, 0, 10, isNegative: true, scale: 28),
        new(0, 0, -1, isNegative: false, scale: 1),
        1_000_000_000.00000000m,
        -0.00000001000m,
    ];

    [Test]
    public void Edges_keep_the_bits_of_the_division() =>
        Assert.Multiple(() =>
        {
            foreach (var value in Edges)
                AssertSameBits(value);
        });

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Random_coefficients_of_every_width_and_scale_keep_the_bits_of_the_division(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 300_000; i++)
        {
            var lo = random.Next(int.MinValue, int.MaxValue);
            var (mid, hi) = (random.Next(4)) switch
            {
                0 => (0, 0),
                1 => (random.Next(0, 1000), 0),
                2 => (random.Next(int.MinValue, int.MaxValue), 0),
                _ => (random.Next(int.MinValue, int.MaxValue), random.Next(int.MinValue, int.MaxValue)),
            };
            var value = new decimal(lo, mid, hi, random.Next(2) == 0, (byte)random.Next(0, 29));
            AssertSameBits(value);
            AssertSameBits(WithTrailingZeros(value, random.Next(0, 12)));
        }
    }

    [TestCase(4)]
    [TestCase(5)]
    public void Products_and_sums_at_ledger_magnitudes_keep_the_bits_of_the_division(int seed)
    {
        // quantities with up to 8 places times prices with up to 8: whale notionals, dust, and everything between
        var random = new Random(seed);
        for (var i = 0; i < 300_000; i++)
        {
            var size = decimal.Round((decimal)random.NextDouble() * Magnitude(random), random.Next(0, 9));
            var price = decimal.Round((decimal)random.NextDouble() * Magnitude(random), random.Next(0, 9));
            AssertSameBits(size * price);
            AssertSameBits(-size * price);
            AssertSameBits(size + price * 1.000m);
            AssertSameBits(decimal.Round(size * price * 0.005m, 8, MidpointRounding.ToPositiveInfinity));
        }
    }

    private static decimal Magnitude(Random random) =>
        random.Next(4) switch
        {
            0 => 0.00000001m,
            1 => 1m,
            2 => 100_000m,
            _ => 1_000_000_000m,
        };

    private static decimal WithTrailingZeros(decimal value, int zeros)
    {
        for (var i = 0; i < zeros && value.Scale < 28; i++)
        {
            // the same number with one more zero; when the coefficient has no room, .NET rounds the zero away
            var longer = value * 1.0m;
            if (longer.Scale == value.Scale)
                break;
            value = longer;
        }
        return value;
    }

    private static void AssertSameBits(decimal value)
    {
        var expected = decimal.GetBits(Rounding.NormalizeByDivision(value));
        var actual = decimal.GetBits(Rounding.Normalize(value));
        if (!expected.AsSpan().SequenceEqual(actual))
            Assert.Fail(
                $"{value} [{string.Join(',', decimal.GetBits(value))}]: division gives [{string.Join(',', expected)}], "
                    + $"Normalize [{string.Join(',', actual)}]"
            );
    }
}
