namespace CrossMargin.Ledger.Stress;

/// <summary>
/// A price shock to one market: an instrument's mark or a collateral asset's index price, moved by a fraction
/// (<see cref="Move"/>, −0.2 for −20 %) or set to a price (<see cref="Price"/>). Exactly one of the two is given.
/// </summary>
/// <param name="Market">an instrument symbol (its mark) or a collateral asset (its index price).</param>
public sealed record Shock(string Market, decimal? Move = null, decimal? Price = null)
{
    /// <summary>A relative move of <paramref name="market"/> (−0.2 = −20 %).</summary>
    public static Shock By(string market, decimal move) => new(market, Move: move);

    /// <summary><paramref name="market"/> set to <paramref name="price"/>.</summary>
    public static Shock To(string market, decimal price) => new(market, Price: price);
}

/// <summary>How liquid one market is, for the impact of forced sales.</summary>
/// <param name="DailyVolatility">σ, the daily volatility as a fraction (0.04 = 4 %).</param>
/// <param name="DailyVolume">V, the daily traded volume in base units (BTC for BTCUSDT, the asset for a collateral
/// asset).</param>
public sealed record MarketLiquidity(decimal DailyVolatility, decimal DailyVolume);

/// <summary>
/// The square-root law of market impact: a net forced sale of <c>Q</c> base units moves the price by
/// <c>Δp/p = Y·σ·√(Q/V)</c> against the seller (down for sales, up for purchases). <c>Y</c> is of order one in every
/// market measured (Tóth et al., "Anomalous price impact and the critical nature of liquidity in financial
/// markets", PRX 2011; Bouchaud, Bonart, Donier, Gould, "Trades, Quotes and Prices", 2018, ch. 12);
/// <see cref="DefaultY"/> is 1.
/// </summary>
/// <param name="Y">the venue-wide prefactor (≥ 0).</param>
/// <param name="Markets">σ and V of each market whose forced sales move its price.</param>
public sealed record ImpactModel(decimal Y, IReadOnlyDictionary<string, MarketLiquidity> Markets)
{
    /// <summary>The prefactor's default.</summary>
    public const decimal DefaultY = 1m;
}

/// <summary>
/// A what-if: the shocks applied in the first round, one price update after another in market-name order, then
/// rounds of liquidation → forced-sale impact → new
/// prices until nothing moves or <see cref="MaxRounds"/> rounds have run. Without an <see cref="Impact"/> model the
/// run is the first round alone.
/// </summary>
public sealed record StressScenario(IReadOnlyList<Shock> Shocks, ImpactModel? Impact = null, int MaxRounds = 20)
{
    /// <summary>The round limit's default.</summary>
    public const int DefaultMaxRounds = 20;
}
