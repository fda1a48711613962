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
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
