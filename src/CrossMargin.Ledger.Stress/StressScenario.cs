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

    /// <summary>
    /// κ ≥ 0, how fast liquidity thins as prices move (volatility-induced illiquidity: Brunnermeier and Pedersen,
    /// "Market Liquidity and Funding Liquidity", RFS 2009; Cont and Wagalath, "Fire sales forensics", 2016): a
    /// round's impact uses the volume <c>V / (1 + κ·|p/p₀ − 1| / σ)</c>, where <c>p/p₀ − 1</c> is the market's move
    /// so far in the run, so a move of one daily σ with κ = 1 halves the volume. 0 (the default) keeps V.
    /// </summary>
    public decimal Thinning { get; init; }
}

/// <summary>
/// A cascade-prevention policy tried on the copy before a run: each figure left null keeps the venue's own. The
/// first three are the venue's own parameters, set on the copy by the commands that set them (so their checks
/// apply); the circuit breaker is the simulator's, and the full close a policy of the engine no command sets.
/// </summary>
/// <param name="Buffer">the liquidation buffer: a liquidation stops once E &gt; MM × (1 + buffer).</param>
/// <param name="RoundCap">a notional cap per instrument per price event (so per round), in the settlement asset,
/// set on every instrument; liquidations it cuts short resume at the next round's price.</param>
/// <param name="ExtraFund">settlement asset added to the insurance fund.</param>
/// <param name="CircuitBreaker">the largest move of a market within one round, as a fraction of its price when
/// the round began: a larger move stops there, liquidations at that price run, and the rest of the move comes
/// in the next round (the market pauses).</param>
/// <param name="CloseInFull">a liquidation closes every position of the account in full instead of stepping down
/// bracket by bracket (<see cref="Liquidation.LiquidationPolicy.CloseInFull"/>, a what-if no command can set).</param>
public sealed record StressPolicy(
    decimal? Buffer = null,
    decimal? RoundCap = null,
    decimal? ExtraFund = null,
    decimal? CircuitBreaker = null,
    bool CloseInFull = false
);

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

    /// <summary>
    /// A price path: the steps after <see cref="Shocks"/>, one per round (rounds 2, 3, …). Each step's shocks are
    /// measured from the prices before the run (−0.3 is 30 % below them) or are prices; a market a step leaves out
    /// stays at its last point. A round moves each market from where it stands by the ratio of its path point to the
    /// previous one, on top of the impact of the previous round's sales, so impact accumulates along the path.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Shock>> Then { get; init; } = [];

    /// <summary>The cascade-prevention policy tried (null: the venue's own).</summary>
    public StressPolicy? Policy { get; init; }
}
