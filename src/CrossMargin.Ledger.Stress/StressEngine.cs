using System.Collections.Immutable;
using System.Globalization;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Stress;

/// <summary>
/// Runs a <see cref="StressScenario"/> on a venue's state (design §8). Every round is a set of price updates decided
/// by <see cref="LedgerRuntime.Run"/>, the code that decides real ones, on the state the previous round left: the
/// shocks in round 1, then for each market the previous round sold into, its price moved by the square-root law
/// (<see cref="ImpactModel"/>), rounded to the market's price precision. A run stops when a round sells nothing,
/// when the sales move no price by a whole step, or at the round limit. The state given is a value and stays as it
/// was; the runtime's guard checks each round's events, the invariants (conservation per asset, a fund never
/// negative, no negative non-settlement balance) are checked after every round in proportion to what it touched, and
/// recounted in full over every account at the end of the run (or once, before them, for a study that makes many runs
/// from one state: <see cref="Recount"/>).
/// </summary>
public static class StressEngine
{
    /// <summary>
    /// <paramref name="state"/> with its trigger index built (design §9): runs on it share the index instead of each
    /// building it at its first price. A state is a value, so one prepared state serves any number of runs, on any
    /// number of threads.
    /// </summary>
    public static LedgerState Prepare(LedgerState state) =>
        state.Triggers is null ? state with { Triggers = TriggerIndex.Build(state) } : state;

    /// <summary>The run, or the first problem with the scenario (nothing is run then).</summary>
    public static Checked<StressReport> Run(LedgerState state, StressScenario scenario) =>
        Run(state, scenario, recounted: false);

    /// <summary>
    /// The full recount of <see cref="Invariants.Violations"/> on a state that many runs are about to start from (a
    /// Monte Carlo study's paths, a bisection's steps, a policy comparison's cases): done once, before them, instead
    /// of at the end of each. The rounds of each run are still checked in proportion to what they touched, and the
    /// runtime's guard still checks every price event, which carries the recount from the start to each run's end;
    /// those round checks take an account no event touched to be unchanged, so each study still recounts the end of
    /// its first run in full.
    /// </summary>
    /// <exception cref="InvalidOperationException">the state breaks an invariant: nothing should run on it.</exception>
    internal static void Recount(LedgerState state)
    {
        var violations = Invariants.Violations(state);
        if (violations.Count > 0)
            throw new InvalidOperationException(
                $"the state the stress runs start from breaks the ledger's invariants: {string.Join("; ", violations)}"
            );
    }

    /// <summary>The run; when <paramref name="recounted"/>, the caller has passed <paramref name="state"/> through
    /// <see cref="Recount"/>, and the run does not recount every account at its end.</summary>
    internal static Checked<StressReport> Run(LedgerState state, StressScenario scenario, bool recounted)
    {
        try
        {
            return Unguarded(state, scenario, recounted);
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

    private static Checked<StressReport> Unguarded(LedgerState state, StressScenario scenario, bool recounted)
    {
        if (Problem(state, scenario) is { } problem)
            return Checked.Invalid<StressReport>(problem);
        var before = Prices(state);
        if (scenario.Policy is { } policy && !Adopt(state, policy).Is(out state, out var refusedPolicy))
            return Checked.Invalid<StressReport>(refusedPolicy);
        var start = state;
        var exposures = new Exposures(start, before);
        var fundBefore = state.InsuranceFundBalance;
        var path = Path(scenario, before);
        var rounds = ImmutableArray.CreateBuilder<StressRound>();
        var (targets, carried) = Next(state, scenario, 1, path, before, Sold.None);
        StressStop stop;
        while (true)
        {
            var number = rounds.Count + 1;
            var ran = Round(state, number, targets, exposures, before);
            if (!ran.Is(out var round, out var refused))
                return Checked.Invalid<StressReport>(refused);
            (state, var result) = round;
            rounds.Add(result);
            // a cap that let nothing through this round would let nothing through the next: no re-mark then
            var capped = result.Events.OfType<PositionLiquidated>().Any() ? Capped(state, result.Events) : [];
            // a path step still to come, a move the circuit breaker held back, or liquidations a cap cut short
            // (they resume at the next price event) keep the run going whatever was sold
            var pending = number < path.Count || carried.Count > 0 || capped.Count > 0;
            if (!pending && scenario.Impact is null)
            {
                stop = StressStop.ImpactOff;
                break;
            }
            if (!pending && result.NetSold.Values.All(q => q == 0m))
            {
                stop = StressStop.NothingSold;
                break;
            }
            (targets, carried) = Next(
                state,
                scenario,
                number + 1,
                path,
                before,
                new Sold(result.NetSold, capped, carried)
            );
            // nothing left to price (a held-back move that can no longer move the market included) and no path step
            // to come: the run is over, for the reason the round gives
            if (targets.Count == 0 && number >= path.Count)
            {
                stop =
                    scenario.Impact is null ? StressStop.ImpactOff
                    : result.NetSold.Values.All(q => q == 0m) ? StressStop.NothingSold
                    : StressStop.NoPriceMove;
                break;
            }
            if (number == scenario.MaxRounds)
            {
                stop = StressStop.RoundLimit;
                break;
            }
        }
        // the full recount once the run is over (each round was checked in proportion to what it touched), unless
        // the state it started from was recounted and the rounds' checks carry that to here
        var violations = recounted ? [] : Invariants.Violations(state);
        if (violations.Count > 0)
            throw new InvalidOperationException(
                $"a stress run broke the ledger's invariants: {string.Join("; ", violations)}"
            );
        var (hit, uncovered) = Hits(rounds.SelectMany(r => r.Events));
        return Checked.Valid(
            new StressReport(
                scenario,
                before,
                Prices(state),
                fundBefore,
                rounds.ToImmutable(),
                stop,
                hit.Select(a => a.Value).ToImmutableSortedSet(StringComparer.Ordinal),
                hit.Sum(exposures.Of),
                uncovered
            )
            {
                PathEnd = path[^1]
                    .ToImmutableSortedDictionary(
                        p => p.Key,
                        p => Math.Min(MaxPrice(start, p.Key), OnPrecision(start, p.Key, p.Value)),
                        StringComparer.Ordinal
                    ),
            }
        );
    }

    /// <summary>What the previous round left for the next: its net sales, the instruments whose liquidations a cap
    /// cut short, and the moves the circuit breaker held back (as factors still to apply).</summary>
    private sealed record Sold(
        IReadOnlyDictionary<string, decimal> NetSold,
        IReadOnlySet<string> Capped,
        IReadOnlyDictionary<string, decimal> Carried
    )
    {
        public static readonly Sold None = new(
            new Dictionary<string, decimal>(),
            new HashSet<string>(),
            new Dictionary<string, decimal>()
        );
    }

    /// <summary>The policy's parameters set on the copy by the commands that set them on a venue.</summary>
    private static Checked<LedgerState> Adopt(LedgerState state, StressPolicy policy)
    {
        var commands = new List<LedgerCommand>();
        if (policy.Buffer is { } buffer)
            commands.Add(new SetLiquidationPolicy(buffer, state.Market.Policy.DeficitPolicy));
        if (policy.RoundCap is { } cap)
            commands.AddRange(
                state.Market.Instruments.Select(i => new SetInstrumentLiquidation(
                    i.Key.Value,
                    i.Value.Spec.LiquidationSlippage,
                    cap
                ))
            );
        if (policy.ExtraFund is { } extra)
            commands.Add(new FundInsurance(Venue.SettlementAsset.Value, extra));
        foreach (var command in commands)
        {
            var ran = LedgerRuntime.Run(state, command);
            if (ran.Decision is Decision.Rejected rejected)
                return Checked.Invalid<LedgerState>($"policy: {rejected.Rejection.Message}");
            state = ran.State;
        }
        if (policy.CloseInFull)
            state = state with
            {
                Market = state.Market with { Policy = state.Market.Policy with { CloseInFull = true } },
            };
        return Checked.Valid(state);
    }

    /// <summary>The exogenous price of every shocked market at each step of the path (unrounded): step 0 is
    /// <see cref="StressScenario.Shocks"/>, a market a step leaves out keeps its previous point.</summary>
    private static List<Dictionary<string, decimal>> Path(
        StressScenario scenario,
        ImmutableSortedDictionary<string, decimal> before
    )
    {
        var points = new List<Dictionary<string, decimal>>();
        var last = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var step in scenario.Then.Prepend(scenario.Shocks))
        {
            last = new Dictionary<string, decimal>(last, StringComparer.Ordinal);
            foreach (var shock in step)
                last[shock.Market] = shock.Price ?? before[shock.Market] * (1m + shock.Move!.Value);
            points.Add(last);
        }
        return points;
    }

    /// <summary>The instruments with a per-price-event cap in which a liquidation of <paramref name="events"/> left
    /// positions: it completed capped, or ended bankrupt with positions left there (a bankrupt liquidation also
    /// leaves instruments it did not need to cut, so only capped instruments count).</summary>
    private static HashSet<string> Capped(LedgerState state, IEnumerable<ILedgerEvent> events) =>
        [
            .. events
                .SelectMany(e =>
                    e switch
                    {
                        LiquidationCompleted { Outcome: LiquidationOutcome.Capped } c => c.Positions,
                        AccountBankrupt b => b.Positions,
                        _ => [],
                    }
                )
                .Where(p => state.Market.Instruments[p.Symbol].Spec.LiquidationNotionalCap is not null)
                .Select(p => p.Symbol.Value),
        ];

    /// <summary>
    /// Round <paramref name="number"/>'s prices: each market moved from where it stands by its path step (the ratio
    /// of its path point to the previous one), the square-root impact of the previous round's net sales and any move
    /// the circuit breaker held back, then bounded by the breaker, rounded to the market's precision and at most its
    /// maximum price; a capped instrument is marked again at its price so that its liquidations resume. A market
    /// whose price does not change is left out unless the step names it or it is re-marked. Also returns the moves
    /// held back for later.
    /// </summary>
    private static (List<KeyValuePair<string, decimal>> Targets, Dictionary<string, decimal> Carried) Next(
        LedgerState state,
        StressScenario scenario,
        int number,
        List<Dictionary<string, decimal>> path,
        ImmutableSortedDictionary<string, decimal> before,
        Sold previous
    )
    {
        var moved = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        // a market the step names is a price event even when its price stays: the price update is what was asked
        var named = new HashSet<string>(StringComparer.Ordinal);
        decimal Price(string market) => moved.TryGetValue(market, out var p) ? p : Current(state, market);
        if (number <= path.Count)
        {
            foreach (var (market, point) in path[number - 1])
            {
                var prior = number == 1 ? before[market] : path[number - 2].GetValueOrDefault(market, before[market]);
                if (point == prior)
                    continue;
                // a market still where its previous point put it (round 1 always) takes the point itself, so a price
                // given is the price set and rounding never accumulates along the path; one that impact, a breaker
                // or a cap moved off it is moved by the path's ratio from where it stands
                var at = Price(market);
                var landed = Math.Min(MaxPrice(state, market), OnPrecision(state, market, prior));
                moved[market] = at == prior || at == landed ? point : at * point / prior;
            }
            // a market this step names is a price event even when its price stays (earlier steps' points carry
            // forward in the path, but only this step's shocks name a market)
            foreach (var shock in number == 1 ? scenario.Shocks : scenario.Then[number - 2])
                if (named.Add(shock.Market) && !moved.ContainsKey(shock.Market))
                    moved[shock.Market] = Price(shock.Market);
        }
        if (scenario.Impact is { } impact)
            foreach (var (market, sold) in previous.NetSold)
            {
                if (sold == 0m)
                    continue;
                var liquidity = impact.Markets[market];
                var volume = liquidity.DailyVolume;
                if (impact.Thinning > 0m)
                {
                    var sofar = Math.Abs(Current(state, market) / before[market] - 1m);
                    volume /= 1m + impact.Thinning * sofar / liquidity.DailyVolatility;
                }
                var move = impact.Y * liquidity.DailyVolatility * SquareRoot(Math.Abs(sold) / volume);
                moved[market] = Price(market) * (sold > 0m ? 1m - move : 1m + move);
            }
        foreach (var (market, factor) in previous.Carried)
            moved[market] = Price(market) * factor;
        var breaker = scenario.Policy?.CircuitBreaker;
        var carried = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var targets = new List<KeyValuePair<string, decimal>>();
        foreach (var (market, raw) in moved)
        {
            var current = Current(state, market);
            var wanted = raw;
            if (breaker is { } x)
            {
                var bounded = Math.Clamp(raw, current * (1m - x), current * (1m + x));
                // a held-back move is carried only while the bounded price still moves the market by a step (at its
                // maximum, its floor or below half a step, carrying would only add empty rounds)
                var step = Math.Min(MaxPrice(state, market), OnPrecision(state, market, bounded));
                if (bounded != raw && step != current)
                    (wanted, carried[market]) = (bounded, raw / bounded);
            }
            // a squeeze stops at the highest price the market takes
            var price = Math.Min(MaxPrice(state, market), OnPrecision(state, market, wanted));
            if (price != current || named.Contains(market) || previous.Capped.Contains(market))
                targets.Add(KeyValuePair.Create(market, price));
        }
        foreach (var market in previous.Capped.Where(m => !moved.ContainsKey(m)).Order(StringComparer.Ordinal))
            targets.Add(KeyValuePair.Create(market, Current(state, market)));
        targets.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return (targets, carried);
    }

    private static Checked<(LedgerState State, StressRound Round)> Round(
        LedgerState state,
        int number,
        IReadOnlyList<KeyValuePair<string, decimal>> targets,
        Exposures exposures,
        IReadOnlyDictionary<string, decimal> before
    )
    {
        var events = ImmutableArray.CreateBuilder<ILedgerEvent>();
        var emitted = new List<Emitted>();
        var prices = ImmutableSortedDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        var opening = state;
        foreach (var (market, price) in targets)
        {
            var ran = LedgerRuntime.Run(state, new UpdatePrice(market, price));
            if (ran.Decision is Decision.Rejected rejected)
                return Checked.Invalid<(LedgerState, StressRound)>(
                    $"round {number}: the price {price.ToString(CultureInfo.InvariantCulture)} for {market} is "
                        + $"refused: {rejected.Rejection.Message}"
                );
            var accepted = (Decision.Accepted)ran.Decision;
            emitted.AddRange(accepted.Events);
            // a cascade's tens of thousands of events: the builder sized to the round's first price event, grown by
            // doubling after it, never one event at a time
            var needed = events.Count + accepted.Events.Length;
            if (events.Capacity < needed)
                events.Capacity = events.Count == 0 ? needed : Math.Max(needed, 2 * events.Capacity);
            foreach (var e in accepted.Events)
                events.Add(e.Event);
            prices[market] = price;
            state = ran.State;
        }
        var violations = RoundViolations(opening, state, emitted);
        if (violations.Count > 0)
            throw new InvalidOperationException(
                $"round {number} of a stress run broke the ledger's invariants: {string.Join("; ", violations)}"
            );
        return Checked.Valid(
            (state, Tally(number, prices.ToImmutable(), events.DrainToImmutable(), state, exposures, before))
        );
    }

    /// <summary>
    /// What the round broke that the runtime's guard cannot see, checked in time proportional to what the round
    /// touched. Each price event of the round went through <see cref="LedgerRuntime.Run"/>, whose guard
    /// (<see cref="Invariants.Guard"/>) refuses conservation broken in the fold's running totals, a fund below zero
    /// and a negative non-settlement balance on an account its events touched; this check is independent of those
    /// totals: the balances of the accounts the round's events touched moved by exactly what the totals moved
    /// (untouched accounts are the same values). The run ends with the full recount of
    /// <see cref="Invariants.Violations"/>.
    /// </summary>
    internal static List<string> RoundViolations(LedgerState before, LedgerState after, List<Emitted> emitted)
    {
        var problems = new List<string>();
        var moved = new Dictionary<Asset, decimal>();
        // the accounts whose streams the round appended to, and those an event moved from another stream (a socialised
        // charge credits the liquidated account from the winner's stream)
        var touched = new HashSet<AccountId>(Streams.AccountsOf(emitted));
        foreach (var e in emitted)
            if (MarginInputs.AccountsMoved(e.Event) is { } accounts)
                touched.UnionWith(accounts);
        foreach (var id in touched)
        {
            var (then, now) = (before.Account(id), after.Account(id));
            // each asset either balance holds, once: what it moved by, added as (sum + now) − then in the accounts'
            // order (an asset the account no longer holds is now 0), so the sums are the ones the union gave
            foreach (var (asset, balance) in now.Balances)
                moved[asset] = moved.GetValueOrDefault(asset) + balance - then.Balance(asset);
            foreach (var (asset, balance) in then.Balances)
                if (!now.Balances.ContainsKey(asset))
                    moved[asset] = moved.GetValueOrDefault(asset) + 0m - balance;
        }
        foreach (var asset in moved.Keys.Union(before.Held.Keys).Union(after.Held.Keys).Order())
        {
            var totals = after.Held.GetValueOrDefault(asset) - before.Held.GetValueOrDefault(asset);
            if (moved.GetValueOrDefault(asset) != totals)
                problems.Add(
                    $"the accounts the round touched moved {moved.GetValueOrDefault(asset)} {asset}, the running "
                        + $"totals {totals}"
                );
        }
        return problems;
    }

    private static StressRound Tally(
        int number,
        ImmutableSortedDictionary<string, decimal> prices,
        ImmutableArray<ILedgerEvent> events,
        LedgerState after,
        Exposures exposures,
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
        var (hit, uncovered) = Hits(events);
        return new StressRound(
            number,
            prices,
            longs,
            shorts,
            hit.Select(a => a.Value).ToImmutableSortedSet(StringComparer.Ordinal),
            hit.Sum(exposures.Of),
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

    /// <summary>What each account held at the start of a run, at the prices before it: the positions' notional,
    /// worked out once per account however many rounds liquidate it.</summary>
    private sealed class Exposures(LedgerState start, IReadOnlyDictionary<string, decimal> before)
    {
        private readonly Dictionary<AccountId, decimal> known = [];

        public decimal Of(AccountId account)
        {
            if (!known.TryGetValue(account, out var exposure))
                known[account] = exposure = start
                    .Account(account)
                    .Positions.Sum(p => Math.Abs(p.Value.Size) * before[p.Key.Value]);
            return exposure;
        }
    }

    /// <summary>The accounts whose liquidation <paramref name="events"/> start, each once, in the order they first
    /// do; and for each account bankrupt in them what its last bankruptcy left uncovered (a later one carries the
    /// earlier debt with it), summed in the order the accounts first went bankrupt. One pass.</summary>
    private static (List<AccountId> Hit, decimal Uncovered) Hits(IEnumerable<ILedgerEvent> events)
    {
        var hit = new List<AccountId>();
        var seen = new HashSet<AccountId>();
        var bankrupt = new Dictionary<AccountId, int>();
        var lastUncovered = new List<decimal>();
        foreach (var e in events)
            if (e is LiquidationTriggered t && seen.Add(t.Account))
                hit.Add(t.Account);
            else if (e is AccountBankrupt b)
            {
                if (bankrupt.TryGetValue(b.Account, out var at))
                    lastUncovered[at] = b.Uncovered;
                else
                {
                    bankrupt[b.Account] = lastUncovered.Count;
                    lastUncovered.Add(b.Uncovered);
                }
            }
        return (hit, lastUncovered.Sum());
    }

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
        if (scenario.Then.Count + 1 > scenario.MaxRounds)
            return $"the price path has {scenario.Then.Count + 1} steps, more than the round limit "
                + scenario.MaxRounds;
        foreach (var (step, number) in scenario.Then.Prepend(scenario.Shocks).Select((s, i) => (s, i + 1)))
            if (StepProblem(state, step) is { } wrong)
                return scenario.Then.Count == 0 ? wrong : $"path step {number}: {wrong}";
        if (scenario.Policy is { } policy)
        {
            if (policy.CircuitBreaker is { } x && x is <= 0m or >= 1m)
                return $"the circuit breaker's move must be above 0 and below 1 (a fraction), not {x}";
            if (policy.RoundCap is <= 0m)
                return $"the per-round notional cap must be positive, not {policy.RoundCap}";
            foreach (var (symbol, instrument) in state.Market.Instruments)
                if (
                    policy.RoundCap is { } cap
                    && instrument.Mark is { } mark
                    && cap < instrument.Spec.QuantityStep * mark
                )
                    return $"the per-round notional cap {cap} is below one quantity step of {symbol} "
                        + $"({instrument.Spec.QuantityStep} × {mark}): no liquidation could pass it";
            if (policy.ExtraFund is <= 0m)
                return $"the insurance fund top-up must be positive, not {policy.ExtraFund}";
        }
        if (scenario.Impact is not { } impact)
            return null;
        if (impact.Y < 0m)
            return $"the impact prefactor Y must not be negative, not {impact.Y}";
        if (impact.Thinning < 0m)
            return $"the liquidity thinning κ must not be negative, not {impact.Thinning}";
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

    private static string? StepProblem(LedgerState state, IReadOnlyList<Shock> step)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shock in step)
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
            if (shock.Price is not { } price)
                continue;
            if (price <= 0m)
                return $"shock of {market}: the price must be positive, not {price}";
            if (OnPrecision(state, market, price) != price)
                return $"shock of {market}: the price {price.ToString(CultureInfo.InvariantCulture)} has more places "
                    + "than the market's price precision";
            if (price > MaxPrice(state, market))
                return $"shock of {market}: the price {price.ToString(CultureInfo.InvariantCulture)} is above the "
                    + $"market's maximum {MaxPrice(state, market).ToString(CultureInfo.InvariantCulture)}";
        }
        return null;
    }

    /// <summary>The price a shock alone sets in round 1: the given price, or the price before moved by the fraction,
    /// rounded to the market's precision (at least one step, at most its maximum).</summary>
    internal static decimal Shocked(LedgerState state, Shock shock) =>
        shock.Price
        ?? Math.Min(
            MaxPrice(state, shock.Market),
            OnPrecision(state, shock.Market, Current(state, shock.Market) * (1m + shock.Move!.Value))
        );

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
