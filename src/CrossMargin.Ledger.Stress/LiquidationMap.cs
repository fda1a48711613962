using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Stress;

/// <summary>
/// What a liquidation map asks: walk <see cref="Market"/> away from its price in steps of <see cref="Step"/> down to
/// <c>−Depth</c> and up to <c>+Depth</c>, one price event per level, impact off.
/// </summary>
/// <param name="Market">an instrument (its mark) or a collateral asset (its index price).</param>
/// <param name="Step">the move between levels, a fraction (0.01 = 1 %).</param>
/// <param name="Depth">the farthest move, a fraction (0.3 = 30 %; falls stop short of −100 %).</param>
public sealed record LiquidationMapSpec(string Market, decimal Step = 0.01m, decimal Depth = 0.3m)
{
    /// <summary>The most levels a side may have.</summary>
    public const int MaxLevels = 1_000;
}

/// <summary>
/// One level of a liquidation map: everything liquidated on the way from the price before to <see cref="Price"/>,
/// counted from the first level (cumulative), with notional valued at the prices before, as every stress figure is.
/// </summary>
/// <param name="Move">the level's move from the price before, a fraction with its sign.</param>
/// <param name="Price">the level's price (rounded to the market's precision).</param>
/// <param name="LongNotional">long positions liquidated on the way, at the prices before.</param>
/// <param name="ShortNotional">short positions liquidated on the way, at the prices before.</param>
/// <param name="Accounts">accounts liquidation started on, on the way.</param>
/// <param name="InsuranceFund">the fund's balance at this level.</param>
/// <param name="Uncovered">bad debt nothing covered, on the way.</param>
public sealed record LiquidationMapLevel(
    decimal Move,
    decimal Price,
    decimal LongNotional,
    decimal ShortNotional,
    int Accounts,
    decimal InsuranceFund,
    decimal Uncovered
);

/// <summary>A liquidation map: the levels below the price (nearest first) and above it.</summary>
public sealed record LiquidationMapReport(
    LiquidationMapSpec Spec,
    decimal PriceBefore,
    ImmutableArray<LiquidationMapLevel> Below,
    ImmutableArray<LiquidationMapLevel> Above
);

/// <summary>
/// Builds liquidation maps (the exchanges' "liquidation heatmap", computed from the ledger's own rules instead of
/// estimated from leverage): each side is one <see cref="StressEngine"/> price path, so every level is decided by
/// the code that decides real price updates, with the venue's caps per price event.
/// </summary>
public static class LiquidationMap
{
    /// <summary>The map, or why it cannot be drawn.</summary>
    public static Checked<LiquidationMapReport> Build(LedgerState state, LiquidationMapSpec spec)
    {
        try
        {
            return Unguarded(state, spec);
        }
        catch (OverflowException e)
        {
            return Checked.Invalid<LiquidationMapReport>(
                $"the step {spec.Step} or the depth {spec.Depth} leaves what a decimal holds ({e.Message})"
            );
        }
    }

    private static Checked<LiquidationMapReport> Unguarded(LedgerState state, LiquidationMapSpec spec)
    {
        if (spec.Step <= 0m || spec.Depth < spec.Step)
            return Checked.Invalid<LiquidationMapReport>(
                $"the step must be positive and at most the depth, not step {spec.Step} and depth {spec.Depth}"
            );
        // compared without dividing by the step, which a tiny step would overflow
        if (spec.Depth / LiquidationMapSpec.MaxLevels >= spec.Step * (1m + 1m / LiquidationMapSpec.MaxLevels))
            return Checked.Invalid<LiquidationMapReport>(
                $"{spec.Depth} in steps of {spec.Step} is more than {LiquidationMapSpec.MaxLevels} levels"
            );
        var levels = (int)decimal.Floor(spec.Depth / spec.Step);
        state = StressEngine.Prepare(state);
        var below = Side(state, spec, levels, -1m);
        if (!below.Is(out var falls, out var problem))
            return Checked.Invalid<LiquidationMapReport>(problem);
        var above = Side(state, spec, levels, 1m);
        if (!above.Is(out var rises, out problem))
            return Checked.Invalid<LiquidationMapReport>(problem);
        return Checked.Valid(new LiquidationMapReport(spec, StressEngine.Prices(state)[spec.Market], falls, rises));
    }

    private static Checked<ImmutableArray<LiquidationMapLevel>> Side(
        LedgerState state,
        LiquidationMapSpec spec,
        int levels,
        decimal sign
    )
    {
        // falls stop short of −100 %: the deepest level a side has is the last whose price stays positive
        var moves = Enumerable.Range(1, levels).Select(k => sign * k * spec.Step).TakeWhile(m => m > -1m).ToList();
        if (moves.Count == 0)
            return Checked.Valid(ImmutableArray<LiquidationMapLevel>.Empty);
        var scenario = new StressScenario([Shock.By(spec.Market, moves[0])], MaxRounds: moves.Count)
        {
            Then = [.. moves.Skip(1).Select(m => (IReadOnlyList<Shock>)[Shock.By(spec.Market, m)])],
        };
        var ran = StressEngine.Run(state, scenario);
        if (!ran.Is(out var report, out var problem))
            return Checked.Invalid<ImmutableArray<LiquidationMapLevel>>(problem);
        var result = ImmutableArray.CreateBuilder<LiquidationMapLevel>(moves.Count);
        decimal longs = 0m,
            shorts = 0m;
        var hit = new HashSet<string>(StringComparer.Ordinal);
        var bankrupt = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (round, move) in report.Rounds.Zip(moves))
        {
            longs += round.LiquidatedLongNotional;
            shorts += round.LiquidatedShortNotional;
            hit.UnionWith(round.Liquidated);
            foreach (var b in round.Events.OfType<Liquidation.AccountBankrupt>())
                bankrupt[b.Account.Value] = b.Uncovered;
            result.Add(
                new LiquidationMapLevel(
                    move,
                    round.Prices.GetValueOrDefault(spec.Market, report.PricesBefore[spec.Market]),
                    longs,
                    shorts,
                    hit.Count,
                    round.InsuranceFund,
                    bankrupt.Values.Sum()
                )
            );
        }
        return Checked.Valid(result.ToImmutable());
    }
}
