using System.Collections.Immutable;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Stress;

/// <summary>Why a run stopped.</summary>
public enum StressStop
{
    /// <summary>A round sold nothing on balance on any market (its sales and purchases, if any, cancel out), so no
    /// price moves again.</summary>
    NothingSold,

    /// <summary>The forced sales of the last round move no price by a whole price step.</summary>
    NoPriceMove,

    /// <summary>No impact model: the run is the shock alone.</summary>
    ImpactOff,

    /// <summary>The round limit was reached with sales still moving prices.</summary>
    RoundLimit,
}

/// <summary>
/// One round of a run: the prices it set, what it liquidated and sold, and the insurance fund after it.
/// </summary>
/// <param name="Number">1 for the shock, 2… for each impact round.</param>
/// <param name="Prices">the price each market was set to this round (only the markets that moved).</param>
/// <param name="LiquidatedLongNotional">quantity of long positions closed by liquidation (on the market or by
/// auto-deleveraging) × the instrument's price before the run (settlement asset): valued at one price, so runs of
/// different shocks compare.</param>
/// <param name="LiquidatedShortNotional">the same for short positions.</param>
/// <param name="Liquidated">the accounts whose liquidation started this round.</param>
/// <param name="ExposureHit">the positions those accounts held before the run, valued at the prices before the run:
/// what liquidation reached. Unlike the notional sold it never falls as a shock grows (a tier step-down sells less
/// quantity at a lower mark, since the bracket cap it steps down to is a notional).</param>
/// <param name="NetSold">base units sold on the market per market (negative: bought) by liquidation fills that
/// traded (not auto-deleveraging transfers) and collateral sales: what moves the next round's prices.</param>
/// <param name="InsuranceFund">the fund's settlement balance after the round.</param>
/// <param name="AdlNotional">Σ quantity × price of auto-deleveraging fills (at the bankruptcy price they transfer
/// at).</param>
/// <param name="Socialized">loss shared among winners.</param>
/// <param name="Uncovered">bad debt nothing covered: for each account bankrupt this round, what its last
/// bankruptcy left uncovered.</param>
/// <param name="Events">every event the round decided, in order (hypothetical: nothing here has a stream or a
/// position, and nothing of this library can append).</param>
public sealed record StressRound(
    int Number,
    ImmutableSortedDictionary<string, decimal> Prices,
    decimal LiquidatedLongNotional,
    decimal LiquidatedShortNotional,
    ImmutableSortedSet<string> Liquidated,
    decimal ExposureHit,
    ImmutableSortedDictionary<string, decimal> NetSold,
    decimal InsuranceFund,
    decimal AdlNotional,
    decimal Socialized,
    decimal Uncovered,
    ImmutableArray<ILedgerEvent> Events
)
{
    /// <summary>Long and short notional liquidated.</summary>
    public decimal LiquidatedNotional => LiquidatedLongNotional + LiquidatedShortNotional;

    /// <summary>Liquidations started this round.</summary>
    public int AccountsLiquidated => Liquidated.Count;

    /// <summary>Each bankrupt liquidation of the round that auto-deleveraged: the haircut taken from the winners
    /// against the least that would have covered its deficit (<see cref="AdlHaircut"/>).</summary>
    public IReadOnlyList<(string LiquidationId, AdlHaircut Haircut)> AdlHaircuts => AdlHaircut.In(Events);

    /// <summary>Σ of the round's ADL haircuts taken.</summary>
    public decimal AdlTaken => AdlHaircuts.Sum(h => h.Haircut.Taken);

    /// <summary>Σ of the least haircuts that would have covered the round's ADL deficits.</summary>
    public decimal AdlNeeded => AdlHaircuts.Sum(h => h.Haircut.Needed);
}

/// <summary>
/// What a run did, round by round and in total. <see cref="Amplification"/> is, per shocked market, the final move
/// over the shock's own move (1 when forced sales added nothing).
/// </summary>
/// <param name="Liquidated">every account liquidation started on over the run (once each, whatever the rounds).</param>
/// <param name="ExposureHit">the positions those accounts held before the run, at the prices before the run.</param>
/// <param name="Uncovered">bad debt nothing covered at the end of the run: for each account, what its last
/// bankruptcy left uncovered.</param>
public sealed record StressReport(
    StressScenario Scenario,
    ImmutableSortedDictionary<string, decimal> PricesBefore,
    ImmutableSortedDictionary<string, decimal> PricesAfter,
    decimal InsuranceFundBefore,
    ImmutableArray<StressRound> Rounds,
    StressStop Stop,
    ImmutableSortedSet<string> Liquidated,
    decimal ExposureHit,
    decimal Uncovered
)
{
    /// <summary>The fund's settlement balance after the last round.</summary>
    public decimal InsuranceFundAfter => Rounds.Length == 0 ? InsuranceFundBefore : Rounds[^1].InsuranceFund;

    /// <summary>The largest fall of the fund below its balance before the run, as it stands at the end of each round
    /// (0 when it never fell).</summary>
    public decimal FundDrawdown =>
        Math.Max(
            0m,
            InsuranceFundBefore - Rounds.Select(r => r.InsuranceFund).DefaultIfEmpty(InsuranceFundBefore).Min()
        );

    /// <summary>Long and short notional liquidated over the run.</summary>
    public decimal LiquidatedNotional => Rounds.Sum(r => r.LiquidatedNotional);

    /// <summary>Accounts liquidation started on over the run.</summary>
    public int AccountsLiquidated => Liquidated.Count;

    /// <summary>Notional of long positions closed by liquidation over the run.</summary>
    public decimal LiquidatedLongNotional => Rounds.Sum(r => r.LiquidatedLongNotional);

    /// <summary>Notional of short positions closed by liquidation over the run.</summary>
    public decimal LiquidatedShortNotional => Rounds.Sum(r => r.LiquidatedShortNotional);

    /// <summary>Σ of auto-deleveraging fills' notional over the run.</summary>
    public decimal AdlNotional => Rounds.Sum(r => r.AdlNotional);

    /// <summary>Σ of the ADL haircuts taken over the run.</summary>
    public decimal AdlTaken => Rounds.Sum(r => r.AdlTaken);

    /// <summary>Σ of the least haircuts that would have covered the run's ADL deficits; <c>AdlTaken − AdlNeeded</c>
    /// is the run's ADL overshoot.</summary>
    public decimal AdlNeeded => Rounds.Sum(r => r.AdlNeeded);

    /// <summary>Loss shared among winners over the run.</summary>
    public decimal Socialized => Rounds.Sum(r => r.Socialized);

    /// <summary>Where the shocks alone take each shocked market: the last point of the path (the shock itself for a
    /// one-step run), rounded to the market's precision.</summary>
    public ImmutableSortedDictionary<string, decimal> PathEnd { get; init; } =
        ImmutableSortedDictionary<string, decimal>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Per shocked market whose shocks moved its price: (final price ÷ price before − 1) ÷ (path end ÷ price
    /// before − 1), 1 when forced sales added nothing.</summary>
    public ImmutableSortedDictionary<string, decimal> Amplification =>
        PathEnd
            .Where(p => p.Value != PricesBefore[p.Key])
            .ToImmutableSortedDictionary(
                p => p.Key,
                p => (PricesAfter[p.Key] / PricesBefore[p.Key] - 1m) / (p.Value / PricesBefore[p.Key] - 1m),
                StringComparer.Ordinal
            );
}
