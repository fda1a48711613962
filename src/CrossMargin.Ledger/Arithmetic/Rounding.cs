namespace CrossMargin.Ledger.Arithmetic;

/// <summary>
/// The one place where ledger arithmetic loses precision. Sums, differences and products of
/// <see cref="decimal"/> values are exact for the magnitudes a venue sees; a quotient (average entry
/// price, initial margin N / L, margin ratio, liquidation and bankruptcy prices) is not, so every
/// division goes through <see cref="Divide"/>: the exact quotient rounded to
/// <see cref="QuotientScale"/> decimal places with the midpoint rule <see cref="MidpointRounding.ToEven"/>
/// (banker's rounding). .NET's decimal is implemented in managed code, so the result is the same on
/// every platform and every run.
/// </summary>
public static class Rounding
{
    /// <summary>Decimal places kept in a quotient: 18, far below a satoshi of a cent.</summary>
    public const int QuotientScale = 18;

    /// <summary>Divides and rounds half to even at <see cref="QuotientScale"/> places; trailing zeros are
    /// dropped.</summary>
    /// <exception cref="DivideByZeroException">when <paramref name="divisor"/> is zero: a caller bug, never a business
    /// outcome.</exception>
    public static decimal Divide(decimal dividend, decimal divisor) => Round(dividend / divisor);

    /// <summary>
    /// A derived figure (not an amount that moves money) rounded by the same rule as a quotient; used for
    /// the ADL score, a product of two quotients.
    /// </summary>
    public static decimal Round(decimal value) =>
        Normalize(decimal.Round(value, QuotientScale, MidpointRounding.ToEven));

    /// <summary>
    /// Whether <paramref name="value"/> has at most <paramref name="places"/> decimal places (trailing zeros aside):
    /// the one test behind every "refused, never rounded" rule of money, prices, quantities and rates.
    /// </summary>
    public static bool HasAtMostPlaces(decimal value, int places) => decimal.Round(value, places) == value;

    /// <summary>
    /// The same number with trailing zeros removed (1.500 → 1.5). Values are stored and hashed in this
    /// canonical form so that equal amounts always print, hash and compare the same.
    /// </summary>
    /// <remarks>
    /// Defined as <see cref="NormalizeByDivision"/>, .NET's own canonical form. This strips the zeros from the
    /// 96-bit coefficient directly, which gives the same bits (the sign of a zero included) at about a third of
    /// the division's cost; the margin kernel calls it three times per position. A property test holds the two to
    /// the same bits over millions of values of every scale and width.
    /// </remarks>
    public static decimal Normalize(decimal value)
    {
        int scale = value.Scale;
        if (scale == 0)
            return value;
        var bits = new DecimalBits();
        Span<int> parts = bits;
        decimal.GetBits(value, parts);
        if ((parts[0] & 1) != 0)
            return value; // an odd coefficient ends in no zero
        var negative = parts[3] < 0;
        if (parts[2] == 0)
        {
            var coefficient = unchecked(((ulong)(uint)parts[1] << 32) | (uint)parts[0]);
            if (coefficient == 0)
                return negative ? NegativeZero : 0m;
            while (scale > 0 && coefficient % 10 == 0)
            {
                coefficient /= 10;
                scale--;
            }
            return new decimal(
                unchecked((int)(uint)coefficient),
                unchecked((int)(uint)(coefficient >> 32)),
                0,
                negative,
                (byte)scale
            );
        }
        var wide = unchecked(((UInt128)(uint)parts[2] << 64) | ((UInt128)(uint)parts[1] << 32) | (uint)parts[0]);
        while (scale > 0)
        {
            var (quotient, remainder) = UInt128.DivRem(wide, 10);
            if (remainder != 0)
                break;
            wide = quotient;
            scale--;
        }
        return new decimal(
            unchecked((int)(uint)wide),
            unchecked((int)(uint)(wide >> 32)),
            unchecked((int)(uint)(wide >> 64)),
            negative,
            (byte)scale
        );
    }

    /// <summary>The definition <see cref="Normalize"/> keeps to: division by one written with 28 places, which
    /// .NET answers in the smallest scale that holds the exact quotient.</summary>
    public static decimal NormalizeByDivision(decimal value) => value / 1.0000000000000000000000000000m;

    private static readonly decimal NegativeZero = new(0, 0, 0, isNegative: true, scale: 0);

    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct DecimalBits
    {
        private int element;
    }
}
