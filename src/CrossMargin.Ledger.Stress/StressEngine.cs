using System.Collections.Immutable;
using System.Globalization;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Stress;

/// <summary>
/// Runs a <see cref="StressScenario"/> on a venue's state (design §8). Every round is a set of price updates decided
/// by <see cref="LedgerRuntime.Run"/>, the code that decides real ones, on the state the previous round left: the
/// shocks in round 1, then for each market the previous round sold into, its price moved by the square-root law
/// (<see cref="ImpactModel"/>), rounded to the market's price precision. A run stops when a round sells nothing,
/// when the sales move no price by a whole step, or at the round limit. The state given is a value and stays as it
/// was; the runtime's guard checks each round's events, and the full invariants (conservation per asset, a fund
/// never negative) are checked after every round.
/// </summary>
public static class StressEngine
{
    /// <summary>The run, or the first problem with the scenario (nothing is run then).</summary>
    public static Checked<StressReport> Run(LedgerState state, StressScenario scenario)
    {
        try
        {
            return Unguarded(state, scenario);
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            // outside the runtime loop, which answers its own: a shock, a volatility or a volume so far out that a
            // price or an impact leaves what a decimal holds
            return Checked.Invalid<StressReport>(
                $"a figure of the run leaves what a decimal holds ({e.Message}): the shocks, the impact prefactor or "
                    + "the liquidity figures are out of any market's range"
            );
        }
    }

    private static Checked<StressReport> Unguarded(LedgerState state, StressScenario scenario)
    {
        if (Problem(state, scenario) is { } problem)
            return Checked.Invalid<StressReport>(problem);
        var before = Prices(state);
        var start = state;
        var fundBefore = state.InsuranceFundBalance;
        var rounds = ImmutableArray.CreateBuilder<StressRound>();
        List<KeyValuePair<string, decimal>> targets =
        [
            .. scenario
                .Shocks.OrderBy(s => s.Market, StringComparer.Ordinal)
                .Select(s => KeyValuePair.Create(s.Market, Shocked(state, s))),
        ];
        StressStop stop;
        while (true)
        {
            var number = rounds.Count + 1;
            var ran = Round(state, number, targets, start, before);
            if (!ran.Is(out var round, out var refused))
                return Checked.Invalid<StressReport>(refused);
            (state, var result) = round;
            rounds.Add(result);
            if (scenario.Impact is not { } impact)
            {
                stop = StressStop.ImpactOff;
                break;
            }
            if (result.NetSold.Values.All(q => q == 0m))
            {
                stop = StressStop.NothingSold;
                break;
            }
            targets = Impacted(state, impact, result.NetSold);
            if (targets.Count == 0)
            {
                stop = StressStop.NoPriceMove;
                break;
            }
            if (number == scenario.MaxRounds)
            {
                stop = StressStop.RoundLimit;
                break;
            }
        }
        var all = rounds.SelectMany(r => r.Events).ToList();
        var hit = all.OfType<LiquidationTriggered>().Select(t => t.Account).Distinct().ToList();
        return Checked.Valid(
            new StressReport(
                scenario,
                before,
                Prices(state),
                fundBefore,
                rounds.ToImmutable(),
                stop,
                hit.Select(a => a.Value).ToImmutableSortedSet(StringComparer.Ordinal),
                hit.Sum(a => Exposure(start, a, before)),
                LastUncovered(all)
            )
        );
    }

    /// <summary>The price a shock sets: the given price, or the price before moved by the fraction and rounded to
    /// the market's precision (never below its smallest step).</summary>
    internal static decimal Shocked(LedgerState state, Shock shock) =>
        shock.Price ?? OnPrecision(state, shock.Market, Current(state, shock.Market) * (1m + shock.Move!.Value));

    /// <summary>
    /// The next round's prices: each market sold into moved by <c>Y·σ·√(|Q|/V)</c> against the net seller, rounded
    /// to its precision; a market whose move rounds to nothing is left out.
    /// </summary>
    internal static List<KeyValuePair<string, decimal>> Impacted(
        LedgerState state,
        ImpactModel impact,
        IReadOnlyDictionary<string, decimal> netSold
    )
    {
        var next = new List<KeyValuePair<string, decimal>>();
        foreach (var (market, sold) in netSold.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (sold == 0m)
                continue;
            var liquidity = impact.Markets[market];
            var move = impact.Y * liquidity.DailyVolatility * SquareRoot(Math.Abs(sold) / liquidity.DailyVolume);
            var price = Current(state, market);
            // a squeeze stops at the highest price the market takes
            var moved = Math.Min(
                MaxPrice(state, market),
                OnPrecision(state, market, price * (sold > 0m ? 1m - move : 1m + move))
            );
            if (moved != price)
                next.Add(KeyValuePair.Create(market, moved));
        }
        return next;
    }

    private static Checked<(LedgerState State, StressRound Round)> Round(
        LedgerState state,
        int number,
        IReadOnlyList<KeyValuePair<string, decimal>> targets,
        LedgerState start,
        IReadOnlyDictionary<string, decimal> before
    )
    {
        var events = ImmutableArray.CreateBuilder<ILedgerEvent>();
        var prices = ImmutableSortedDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        foreach (var (market, price) in targets)
        {
            var ran = LedgerRuntime.Run(state, new UpdatePrice(market, price));
            if (ran.Decision is Decision.Rejected rejected)
                return Checked.Invalid<(LedgerState, StressRound)>(
                    $"round {number}: the price {price.ToString(CultureInfo.InvariantCulture)} for {market} is "
                        + $"refused: {rejected.Rejection.Message}"
                );
            events.AddRange(((Decision.Accepted)ran.Decision).Events.Select(e => e.Event));
            prices[market] = price;
            state = ran.State;
        }
        var violations = Invariants.Violations(state);
        if (violations.Count > 0)
            throw new InvalidOperationException(
                $"round {number} of a stress run broke the ledger's invariants: {string.Join("; ", violations)}"
            );
        return Checked.Valid((state, Tally(number, prices.ToImmutable(), events.ToImmutable(), state, start, before)));
    }

    private static StressRound Tally(
        int number,
        ImmutableSortedDictionary<string, decimal> prices,
        ImmutableArray<ILedgerEvent> events,
        LedgerState after,
        LedgerState start,
        IReadOnlyDictionary<string, decimal> before
    )
    {
        decimal longs = 0m,
            shorts = 0m,
            adl = 0m,
            socialized = 0m;
        var sold = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var e in events)
            switch (e)
            {
                case PositionLiquidated p:
                    // the fill's side is the trade's: a long position is closed by a sale; valued at the price before
                    // the run, so runs of different shocks compare
                    if (p.Side == Side.Short)
                        longs += p.Quantity * before[p.Symbol.Value];
                    else
                        shorts += p.Quantity * before[p.Symbol.Value];
                    if (p.Execution != Execution.Adl)
                        Add(sold, p.Symbol.Value, p.Side == Side.Short ? p.Quantity : -p.Quantity);
                    break;
                case CollateralSold c:
                    Add(sold, c.Asset.Value, c.Quantity);
                    break;
                case PositionAutoDeleveraged a:
                    adl += a.Quantity * a.Price;
                    break;
                case LossSocialized l:
                    socialized += l.Amount;
                    break;
            }
        var hit = events.OfType<LiquidationTriggered>().Select(t => t.Account).Distinct().ToList();
        var uncovered = LastUncovered(events);
        return new StressRound(
            number,
            prices,
            longs,
            shorts,
            hit.Select(a => a.Value).ToImmutableSortedSet(StringComparer.Ordinal),
            hit.Sum(a => Exposure(start, a, before)),
            sold.ToImmutableSortedDictionary(StringComparer.Ordinal),
            after.InsuranceFundBalance,
            adl,
            socialized,
            uncovered,
            events
        );

        static void Add(SortedDictionary<string, decimal> totals, string market, decimal quantity) =>
            totals[market] = totals.GetValueOrDefault(market) + quantity;
    }

    /// <summary>The positions <paramref name="account"/> held at <paramref name="start"/>, at the prices before the
    /// run.</summary>
    private static decimal Exposure(
        LedgerState start,
        AccountId account,
        IReadOnlyDictionary<string, decimal> before
    ) => start.Account(account).Positions.Sum(p => Math.Abs(p.Value.Size) * before[p.Key.Value]);

    /// <summary>For each account bankrupt in <paramref name="events"/>, what its last bankruptcy left uncovered (a
    /// later one of the same account carries the earlier debt with it).</summary>
    private static decimal LastUncovered(IEnumerable<ILedgerEvent> events) =>
        events.OfType<AccountBankrupt>().GroupBy(b => b.Account).Sum(g => g.Last().Uncovered);

    /// <summary>Every market's price: instruments' marks and collateral assets' index prices, where set.</summary>
    internal static ImmutableSortedDictionary<string, decimal> Prices(LedgerState state) =>
        state
            .Market.Instruments.Where(i => i.Value.Mark is not null)
            .Select(i => KeyValuePair.Create(i.Key.Value, i.Value.Mark!.Value))
            .Concat(
                state
                    .Market.Collateral.Where(c => c.Value.IndexPrice is not null)
                    .Select(c => KeyValuePair.Create(c.Key.Value, c.Value.IndexPrice!.Value))
            )
            .ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static decimal Current(LedgerState state, string market) =>
        state.Market.TryInstrument(market, out _, out var instrument) ? instrument.Mark!.Value
        : Asset.Parse(market).Is(out var asset, out _) ? state.Market.Collateral[asset].IndexPrice!.Value
        : throw new ArgumentException($"'{market}' is not a market of this venue", nameof(market));

    private static decimal MaxPrice(LedgerState state, string market) =>
        state.Market.TryInstrument(market, out _, out var instrument)
            ? instrument.Spec.Limits.MaxPrice
            : state.Market.Collateral[Asset.Parse(market).Value].Limits.MaxPrice;

    /// <summary><paramref name="price"/> rounded half away from zero to the market's price precision, and at least
    /// one step of it.</summary>
    private static decimal OnPrecision(LedgerState state, string market, decimal price)
    {
        var places = state.Market.TryInstrument(market, out _, out var instrument)
            ? instrument.Spec.Limits.PricePrecision
            : Price.Scale;
        var step = 1m / Pow10(places);
        return Math.Max(step, Rounding.Normalize(decimal.Round(price, places, MidpointRounding.AwayFromZero)));
    }

    private static decimal Pow10(int places)
    {
        var power = 1m;
        for (var i = 0; i < places; i++)
            power *= 10m;
        return power;
    }

    /// <summary>√x for x ≥ 0 to a decimal's precision, in decimal arithmetic alone: x is brought into [1, 100) by
    /// powers of 100 (exact), Newton's iteration runs from 1 + x/4 there, and the root is scaled back and polished on
    /// x itself, so every machine gets the same digits.</summary>
    internal static decimal SquareRoot(decimal x)
    {
        if (x < 0m)
            throw new ArgumentOutOfRangeException(nameof(x), x, "a square root of a negative number");
        if (x == 0m)
            return 0m;
        var scaled = x;
        var factor = 1m;
        while (scaled >= 100m)
        {
            scaled /= 100m;
            factor *= 10m;
        }
        while (scaled < 1m)
        {
            scaled *= 100m;
            factor /= 10m;
        }
        var root = Newton(scaled, 1m + scaled / 4m) * factor;
        return Newton(x, root);

        static decimal Newton(decimal x, decimal root)
        {
            for (var i = 0; i < 100; i++)
            {
                var next = (root + x / root) / 2m;
                if (next == root)
                    break;
                root = next;
            }
            return root;
        }
    }

    /// <summary>The first thing wrong with <paramref name="scenario"/> on <paramref name="state"/>, naming the shock
    /// or market; null when it can run.</summary>
    internal static string? Problem(LedgerState state, StressScenario scenario)
    {
        if (scenario.Shocks.Count == 0)
            return "a stress needs at least one shock";
        if (scenario.MaxRounds is < 1 or > 1_000)
            return $"the round limit must be between 1 and 1 000, not {scenario.MaxRounds}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shock in scenario.Shocks)
        {
            var market = shock.Market;
            if (!seen.Add(market))
                return $"{market} is shocked twice";
            if (Unpriced(state, market) is { } unpriced)
                return $"shock of {market}: {unpriced}";
            if ((shock.Move is null) == (shock.Price is null))
                return $"shock of {market}: give a move or a price, not both or neither";
            if (shock.Move is <= -1m)
                return $"shock of {market}: a move of {Percent(shock.Move.Value)} leaves no price (more than −100 %)";
            if (shock.Price is <= 0m)
                return $"shock of {market}: the price must be positive, not {shock.Price}";
        }
        if (scenario.Impact is not { } impact)
            return null;
        if (impact.Y < 0m)
            return $"the impact prefactor Y must not be negative, not {impact.Y}";
        foreach (var (market, liquidity) in impact.Markets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Unpriced(state, market) is { } unpriced)
                return $"liquidity of {market}: {unpriced}";
            if (liquidity.DailyVolatility <= 0m)
                return $"liquidity of {market}: the daily volatility must be positive, not {liquidity.DailyVolatility}";
            if (liquidity.DailyVolume <= 0m)
                return $"liquidity of {market}: the daily volume must be positive, not {liquidity.DailyVolume}";
        }
        // every market a liquidation can sell into needs its liquidity: instruments held, collateral assets held
        var sold = state
            .Holders.Where(h => !h.Value.IsEmpty)
            .Select(h => h.Key.Value)
            .Concat(
                state
                    .Held.Where(h =>
                        h.Value != 0m
                        && h.Key != Venue.SettlementAsset
                        // collateral without an index price is worth nothing yet and never sold
                        && state.Market.Collateral.TryGetValue(h.Key, out var c)
                        && c.IndexPrice is not null
                    )
                    .Select(h => h.Key.Value)
            )
            .Where(m => !impact.Markets.ContainsKey(m))
            .Order(StringComparer.Ordinal)
            .ToList();
        return sold.Count == 0
            ? null
            : $"the impact model gives no daily volatility and volume for {string.Join(", ", sold)}, where "
                + "liquidations can sell";
    }

    private static string? Unpriced(LedgerState state, string market)
    {
        if (state.Market.TryInstrument(market, out _, out var instrument))
            return instrument.Mark is null ? "the instrument has no mark yet" : null;
        if (Asset.Parse(market).Is(out var asset, out _) && state.Market.Collateral.TryGetValue(asset, out var c))
            return c.IndexPrice is null ? "the collateral asset has no index price yet" : null;
        return "not a listed instrument or collateral asset";
    }

    private static string Percent(decimal fraction) =>
        (fraction * 100m).ToString("0.########", CultureInfo.InvariantCulture) + " %";
}
