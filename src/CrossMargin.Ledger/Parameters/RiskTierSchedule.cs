using System.Collections.Immutable;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Parameters;

/// <summary>What a lister sends for one bracket; <see cref="MaintenanceAmount"/> is optional and checked.</summary>
public sealed record RiskTierInput(decimal Floor, decimal Mmr, decimal MaxLeverage, decimal? MaintenanceAmount = null);

/// <summary>
/// The ordered brackets of an instrument, with caps and maintenance amounts derived from the floors.
/// Only <see cref="Create"/> builds one, so a schedule in hand is always valid: the first floor is 0,
/// floors rise strictly, rates are in (0, 1) and never fall, max leverage is ≥ 1 and never rises, and
/// <c>mmr × maxLeverage &lt; 1</c> (a position at full leverage is not born liquidatable).
/// </summary>
public sealed class RiskTierSchedule
{
    private RiskTierSchedule(ImmutableArray<RiskTier> tiers) => Tiers = tiers;

    /// <summary>The brackets, lowest first; bracket numbers in reports are 1-based.</summary>
    public ImmutableArray<RiskTier> Tiers { get; }

    /// <summary>Validates the brackets and derives <c>cap</c> and <c>cum</c>; returns the reason when
    /// invalid.</summary>
    public static Checked<RiskTierSchedule> Create(IReadOnlyList<RiskTierInput> inputs)
    {
        if (Validate(inputs) is { } error)
            return Checked.Invalid<RiskTierSchedule>(error);
        var tiers = ImmutableArray.CreateBuilder<RiskTier>(inputs.Count);
        var cum = 0m;
        for (var n = 0; n < inputs.Count; n++)
        {
            var input = inputs[n];
            if (n > 0)
                cum = input.Floor * (input.Mmr - inputs[n - 1].Mmr) + cum;
            cum = Rounding.Normalize(cum);
            if (input.MaintenanceAmount is { } given && given != cum)
                return Checked.Invalid<RiskTierSchedule>(
                    $"tiers[{n}].maintenanceAmount is {given} but the brackets below it give {cum} (cumₙ = floorₙ × "
                        + $"(mmrₙ − mmrₙ₋₁) + cumₙ₋₁)"
                );
            decimal? cap = n + 1 < inputs.Count ? inputs[n + 1].Floor : null;
            tiers.Add(
                new RiskTier(
                    Rounding.Normalize(input.Floor),
                    cap is { } c ? Rounding.Normalize(c) : null,
                    Rounding.Normalize(input.Mmr),
                    Rounding.Normalize(input.MaxLeverage),
                    cum
                )
            );
        }
        return Checked.Valid<RiskTierSchedule>(new RiskTierSchedule(tiers.MoveToImmutable()));
    }

    /// <summary>Rebuilds a schedule from brackets recorded in an event (already validated when listed).</summary>
    public static RiskTierSchedule FromRecorded(IReadOnlyList<RiskTier> recorded) =>
        Create([.. recorded.Select(t => new RiskTierInput(t.Floor, t.Mmr, t.MaxLeverage, t.MaintenanceAmount))]) switch
        {
            { IsValid: true } valid => valid.Value,
            var invalid => throw new InvalidOperationException($"recorded risk tiers are invalid: {invalid.Problem}"),
        };

    /// <summary>The bracket holding <paramref name="notional"/> and its 1-based number.</summary>
    public (RiskTier Tier, int Number) For(decimal notional)
    {
        for (var n = Tiers.Length - 1; n >= 0; n--)
            if (notional >= Tiers[n].Floor)
                return (Tiers[n], n + 1);
        return (Tiers[0], 1);
    }

    private static string? Validate(IReadOnlyList<RiskTierInput> inputs)
    {
        if (inputs.Count == 0)
            return "tiers must hold at least one bracket";
        if (inputs[0].Floor != 0m)
            return $"tiers[0].floor must be 0, not {inputs[0].Floor}";
        for (var n = 0; n < inputs.Count; n++)
        {
            var t = inputs[n];
            if (t.Mmr <= 0m || t.Mmr >= 1m)
                return $"tiers[{n}].mmr must be in (0, 1), not {t.Mmr}";
            if (t.MaxLeverage < 1m)
                return $"tiers[{n}].maxLeverage must be at least 1, not {t.MaxLeverage}";
            if (t.Mmr * t.MaxLeverage >= 1m)
                return $"tiers[{n}]: mmr × maxLeverage = {t.Mmr * t.MaxLeverage} must be below 1, or a position at "
                    + $"full leverage is liquidatable when opened";
            if (n == 0)
                continue;
            var below = inputs[n - 1];
            if (t.Floor <= below.Floor)
                return $"tiers[{n}].floor {t.Floor} must be above tiers[{n - 1}].floor {below.Floor}";
            if (t.Mmr < below.Mmr)
                return $"tiers[{n}].mmr {t.Mmr} must not be below tiers[{n - 1}].mmr {below.Mmr}";
            if (t.MaxLeverage > below.MaxLeverage)
                return $"tiers[{n}].maxLeverage {t.MaxLeverage} must not be above tiers[{n - 1}].maxLeverage "
                    + $"{below.MaxLeverage}";
        }
        return null;
    }
}
