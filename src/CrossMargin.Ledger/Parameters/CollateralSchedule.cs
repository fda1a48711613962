using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Parameters;

/// <summary>
/// One band of a collateral haircut: the part of an asset's raw value (balance × index price, in the
/// settlement asset) lying in <c>[Floor, next floor)</c> counts at <c>Ratio</c> (0.975 = 97.5 %).
/// </summary>
public sealed record CollateralRatioTier(decimal Floor, decimal Ratio);

/// <summary>
/// The haircut schedule of a collateral asset. Bands apply marginally, like tax brackets: with
/// 100 % up to 100 M and 97.5 % above, 150 M of raw value counts 100 M + 0.975 × 50 M. Marginal bands
/// keep collateral value continuous and monotone in the balance, so a larger deposit never counts less.
/// </summary>
public sealed class CollateralSchedule
{
    private CollateralSchedule(ImmutableArray<CollateralRatioTier> bands) => Bands = bands;

    /// <summary>The bands, lowest first.</summary>
    public ImmutableArray<CollateralRatioTier> Bands { get; }

    /// <summary>Validates: first floor 0, floors rising strictly, ratios in (0, 1] and never rising.</summary>
    public static Checked<CollateralSchedule> Create(IReadOnlyList<CollateralRatioTier> bands)
    {
        string? error = null;
        if (bands.Count == 0)
            error = "ratios must hold at least one band";
        else if (bands[0].Floor != 0m)
            error = $"ratios[0].floor must be 0, not {bands[0].Floor}";
        for (var n = 0; error is null && n < bands.Count; n++)
        {
            if (bands[n].Ratio <= 0m || bands[n].Ratio > 1m)
                error = $"ratios[{n}].ratio must be in (0, 1], not {bands[n].Ratio}";
            else if (n > 0 && bands[n].Floor <= bands[n - 1].Floor)
                error = $"ratios[{n}].floor {bands[n].Floor} must be above ratios[{n - 1}].floor {bands[n - 1].Floor}";
            else if (n > 0 && bands[n].Ratio > bands[n - 1].Ratio)
                error =
                    $"ratios[{n}].ratio {bands[n].Ratio} must not be above ratios[{n - 1}].ratio {bands[n - 1].Ratio}";
        }
        return error is null
            ? Checked.Valid<CollateralSchedule>(new CollateralSchedule([.. bands]))
            : Checked.Invalid<CollateralSchedule>(error);
    }

    /// <summary>Rebuilds a schedule recorded in an event (validated when listed).</summary>
    public static CollateralSchedule FromRecorded(IReadOnlyList<CollateralRatioTier> bands) =>
        Create(bands) switch
        {
            { IsValid: true } valid => valid.Value,
            var invalid => throw new InvalidOperationException(
                $"recorded collateral ratios are invalid: {invalid.Problem}"
            ),
        };

    /// <summary>Haircut value of <paramref name="rawValue"/> (settlement asset); 0 for a non-positive raw
    /// value.</summary>
    public decimal Value(decimal rawValue)
    {
        var value = 0m;
        for (var n = 0; n < Bands.Length; n++)
        {
            var floor = Bands[n].Floor;
            if (rawValue <= floor)
                break;
            var top = n + 1 < Bands.Length ? Math.Min(rawValue, Bands[n + 1].Floor) : rawValue;
            value += (top - floor) * Bands[n].Ratio;
        }
        return value;
    }
}
