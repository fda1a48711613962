using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// Which accounts are liquidatable right now, kept without re-evaluating every holder at every price (design §9).
/// <para>
/// Each account is <em>armed</em>: evaluated once by <see cref="MarginKernel"/>, its slack (<c>E − MM</c> with
/// positions, <c>E</c> flat) shared out among the prices it depends on (the mark of each instrument it holds, the index
/// price of each collateral asset it holds a positive balance of), and each share turned into a trigger price: how
/// far that price may move against the account before the share is spent. A long loses at most <c>|q|</c> of slack
/// per unit the mark falls (its maintenance margin falls too); a short at most <c>|q| × (1 + mmr)</c> per unit it
/// rises, with the instrument's highest rate; a collateral balance <c>b</c> at most <c>b</c> per unit its index falls
/// (haircut bands are marginal, ratios ≤ 1). The shares are in proportion to what a whole move of each price would
/// cost (that sensitivity times the price), so every trigger lies the same fraction of its price away: prices that
/// move together reach them together, instead of the most exposed one re-arming its account again and again. Moves
/// the other way never cost more than rounding, and a reserve of 2·10⁻⁸ per rounded figure is held back from the
/// slack before it is shared, so while every price stays strictly inside its trigger the account cannot be
/// liquidatable. Brackets and bands keep margin continuous and monotone, so these bounds hold across them.
/// </para>
/// <para>
/// A price event re-evaluates and re-arms only the accounts whose trigger it reached; an event that touches an
/// account (a fill, a transfer, a liquidation step) re-evaluates that account (a cascade's events together, once, at
/// its end: <see cref="AfterMoves"/>) and re-arms it unless each trigger it has is at least as near as the fresh one
/// (a deposit, a smaller position: the sorted sets stay as they are); a bracket or haircut change re-arms every
/// account exposed to it. A liquidatable account, or one whose slack is within the reserve, is armed to be
/// re-evaluated at every move of its prices. So <see cref="Liquidatable"/> is always exactly the set of accounts the
/// kernel calls liquidatable, whatever prices the triggers were armed at: answers never depend on the path, only the
/// work does.
/// <see cref="LedgerEvolution.Evolve"/> keeps the index once the engine has built it.
/// </para>
/// </summary>
public sealed class TriggerIndex
{
    // an edge in Falls is crossed by a price at or below it, in Rises by a price at or above it; this one is crossed
    // by every price
    private const decimal Always = decimal.MaxValue;
    private const decimal ReservePerFigure = 0.00000002m;
    private const decimal FarthestTrigger = 1_000_000_000_000_000m;

    private static readonly ImmutableSortedSet<Edge> NoEdges = ImmutableSortedSet<Edge>.Empty.WithComparer(
        EdgeOrder.Instance
    );

    private readonly ImmutableDictionary<Symbol, Edges> marks;
    private readonly ImmutableDictionary<Asset, ImmutableSortedSet<Edge>> indexes;
    private readonly ImmutableSortedDictionary<AccountId, Arming> armed;

    private TriggerIndex(
        ImmutableSortedSet<AccountId> liquidatable,
        ImmutableDictionary<Symbol, Edges> marks,
        ImmutableDictionary<Asset, ImmutableSortedSet<Edge>> indexes,
        ImmutableSortedDictionary<AccountId, Arming> armed,
        long evaluations
    )
    {
        Liquidatable = liquidatable;
        this.marks = marks;
        this.indexes = indexes;
        this.armed = armed;
        Evaluations = evaluations;
    }

    /// <summary>
    /// Not an index: a state carrying it makes the engine evaluate every exposed account at every trigger, as it did
    /// before the index. The oracle the index is tested against, and the baseline the bench compares it with.
    /// </summary>
    public static TriggerIndex FullScan { get; } =
        new(
            ImmutableSortedSet<AccountId>.Empty,
            ImmutableDictionary<Symbol, Edges>.Empty,
            ImmutableDictionary<Asset, ImmutableSortedSet<Edge>>.Empty,
            ImmutableSortedDictionary<AccountId, Arming>.Empty,
            0
        );

    /// <summary>Whether this is <see cref="FullScan"/>.</summary>
    public bool IsFullScan => ReferenceEquals(this, FullScan);

    /// <summary>Every account the kernel calls liquidatable at the state the index was kept for, in id order.</summary>
    public ImmutableSortedSet<AccountId> Liquidatable { get; }

    /// <summary>How many account evaluations keeping the index has cost since it was built (for the bench).</summary>
    public long Evaluations { get; }

    /// <summary>How many trigger prices are armed (for the bench and tests).</summary>
    public int Armed => marks.Values.Sum(e => e.Falls.Count + e.Rises.Count) + indexes.Values.Sum(s => s.Count);

    /// <summary>Arms every account of <paramref name="state"/>.</summary>
    public static TriggerIndex Build(LedgerState state)
    {
        var liquidatable = new List<AccountId>();
        var falls = new Dictionary<Symbol, List<Edge>>();
        var rises = new Dictionary<Symbol, List<Edge>>();
        var indexes = new Dictionary<Asset, List<Edge>>();
        // in the accounts' own order, so each add lands at the right edge of the tree
        var armed = ImmutableSortedDictionary.CreateBuilder<AccountId, Arming>();
        foreach (var account in state.Accounts.Values)
        {
            var slack = MarginKernel.Evaluate(account, state.Market);
            if (slack.Liquidatable)
                liquidatable.Add(account.Id);
            var arming = TriggersOf(account, state.Market, slack);
            if (arming.Marks.IsEmpty && arming.Indexes.IsEmpty)
                continue;
            armed.Add(account.Id, arming);
            foreach (var (symbol, fall, price) in arming.Marks)
                Listed(fall ? falls : rises, symbol).Add(new Edge(price, account.Id, arming));
            foreach (var (asset, price) in arming.Indexes)
                Listed(indexes, asset).Add(new Edge(price, account.Id, arming));
        }
        var marks = falls
            .Keys.Union(rises.Keys)
            .ToImmutableDictionary(
                s => s,
                s => new Edges(Sorted(falls.GetValueOrDefault(s)), Sorted(rises.GetValueOrDefault(s)))
            );
        return new TriggerIndex(
            [.. liquidatable],
            marks,
            indexes.ToImmutableDictionary(i => i.Key, i => Sorted(i.Value)),
            armed.ToImmutable(),
            state.Accounts.Count
        );

        static List<Edge> Listed<TKey>(Dictionary<TKey, List<Edge>> lists, TKey key)
            where TKey : notnull
        {
            if (!lists.TryGetValue(key, out var list))
                lists[key] = list = [];
            return list;
        }

        static ImmutableSortedSet<Edge> Sorted(List<Edge>? edges) =>
            edges is null ? NoEdges : ImmutableSortedSet.CreateRange(EdgeOrder.Instance, edges);
    }

    /// <summary>
    /// The index once <paramref name="e"/> has been folded into <paramref name="state"/> (the state after it), or null
    /// for an event this list does not name: the engine then builds the index afresh at its next trigger, so an event
    /// type added later can cost time but never a stale verdict.
    /// </summary>
    internal TriggerIndex? After(LedgerState state, ILedgerEvent e) =>
        e switch
        {
            MarkPriceUpdated m => Rearm(state, Crossed(m.Symbol, m.Price)),
            IndexPriceUpdated i => Rearm(state, Crossed(i.Asset, i.Price)),
            InstrumentParametersChanged p => Rearm(state, state.HoldersOf(p.Symbol)),
            CollateralRatiosChanged r => Rearm(state, ArmedOn(r.Asset)),
            // the deciders accept no asset before it is listed, but a log could hold one: from now on it counts
            CollateralListed l => Rearm(
                state,
                [.. state.Accounts.Values.Where(a => a.Balance(l.Asset) > 0m).Select(a => a.Id)]
            ),
            // a new instrument has no holders yet
            InstrumentListed => this,
            _ when MarginInputs.AccountsMoved(e) is { } moved => Rearm(state, moved, keepNearer: true),
            _ when MarginInputs.MovesNothing(e) => this,
            _ => null,
        };

    /// <summary>
    /// The index once <paramref name="events"/>, which move accounts or nothing (a cascade's liquidation events), have
    /// all been folded into <paramref name="state"/> (the state after the last): every account they moved re-evaluated
    /// once, at the state they leave, and re-armed unless the triggers it had before the first of them may stay. The
    /// same verdicts as <see cref="After"/> event by event, since the market does not move between them; the triggers
    /// may differ (an account one event moved nearer and a later one farther keeps the nearer ones there), never what
    /// they answer.
    /// Null when an event is of another kind, as <see cref="After"/>.
    /// </summary>
    internal TriggerIndex? AfterMoves(LedgerState state, IEnumerable<ILedgerEvent> events)
    {
        var moved = new HashSet<AccountId>();
        foreach (var e in events)
            if (MarginInputs.AccountsMoved(e) is { } accounts)
                moved.UnionWith(accounts);
            else if (!MarginInputs.MovesNothing(e))
                return null;
        return Rearm(state, moved, keepNearer: true);
    }

    /// <summary>
    /// This index, kept for <paramref name="built"/>, brought to <paramref name="now"/>, a state the fold reached from
    /// it: what a writer needs when it decided on <paramref name="now"/> by full scan while the index was being built
    /// on another thread (design §9). Re-evaluated and re-armed: every account whose state is not the very one it had
    /// at <paramref name="built"/> (an event wrote it, or it is new); every account with a trigger a price of
    /// <paramref name="now"/> reaches; and, as <see cref="After"/> does for the events that change them, the holders of
    /// an instrument whose brackets changed, the accounts armed on a collateral asset whose haircuts changed, and the
    /// holders of an asset listed since. Any other account has the state and the margin parameters it was armed with
    /// (the kernel reads nothing else) and every price it depends on lies strictly inside its triggers, where it cannot
    /// be liquidatable; its triggers stay. So <see cref="Liquidatable"/> is again exactly the kernel's set, whatever
    /// the prices did in between. Null when <paramref name="now"/> lacks an account, an instrument or a collateral
    /// asset of <paramref name="built"/>: not a state the fold reached from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">this is <see cref="FullScan"/>.</exception>
    public TriggerIndex? CaughtUp(LedgerState built, LedgerState now)
    {
        if (IsFullScan)
            throw new InvalidOperationException("the full scan is not an index to bring up to date");
        var rearm = new SortedSet<AccountId>();
        foreach (var (symbol, instrument) in built.Market.Instruments)
        {
            if (!now.Market.Instruments.TryGetValue(symbol, out var current))
                return null;
            if (!Equals(instrument.Spec.Tiers, current.Spec.Tiers))
                rearm.UnionWith(now.HoldersOf(symbol));
        }
        foreach (var (asset, collateral) in built.Market.Collateral)
        {
            if (!now.Market.Collateral.TryGetValue(asset, out var current))
                return null;
            if (!Equals(collateral.Schedule, current.Schedule))
                rearm.UnionWith(ArmedOn(asset));
        }
        // an asset a log held before its listing counts from the listing on (the deciders accept no such deposit)
        foreach (var asset in now.Market.Collateral.Keys)
            if (!built.Market.Collateral.ContainsKey(asset))
                foreach (var account in now.Accounts.Values)
                    if (account.Balance(asset) > 0m)
                        rearm.Add(account.Id);
        // both maps in id order: one pass over each finds the accounts written since
        using var then = built.Accounts.GetEnumerator();
        var more = then.MoveNext();
        foreach (var (id, account) in now.Accounts)
        {
            // the fold never removes an account
            if (more && then.Current.Key < id)
                return null;
            if (more && then.Current.Key == id)
            {
                if (!ReferenceEquals(then.Current.Value, account))
                    rearm.Add(id);
                more = then.MoveNext();
            }
            else
                rearm.Add(id);
        }
        if (more)
            return null;
        var crossed = new List<Edge>();
        foreach (var (symbol, edges) in marks)
            if (now.Market.Instruments.TryGetValue(symbol, out var instrument) && instrument.Mark is { } mark)
                Reached(edges.Falls, edges.Rises, mark, crossed);
        foreach (var (asset, falls) in indexes)
            if (now.Market.Collateral.TryGetValue(asset, out var collateral) && collateral.IndexPrice is { } price)
                Reached(falls, NoEdges, price, crossed);
        foreach (var edge in crossed)
            rearm.Add(edge.Account);
        return Rearm(now, rearm);
    }

    /// <summary>The trigger prices armed for <paramref name="account"/>: the instrument or collateral asset, whether a
    /// price at or below (true) or at or above (false) it reaches the trigger, and the price.</summary>
    internal IEnumerable<(string Subject, bool Falls, decimal Price)> TriggersOf(AccountId account) =>
        armed.TryGetValue(account, out var arming)
            ? arming
                .Marks.Select(m => (m.Symbol.Value, m.Falls, m.Price))
                .Concat(arming.Indexes.Select(i => (i.Asset.Value, true, i.Price)))
            : [];

    /// <summary>
    /// For tests: the first way the sorted sets differ from the armed map, or null when they hold exactly the armed
    /// trigger prices, each once, each edge naming the arming the map holds for its account.
    /// </summary>
    internal string? Inconsistency()
    {
        var unmatched = new Dictionary<(string Subject, bool Falls, decimal Price, AccountId Account), int>();
        foreach (var (id, arming) in armed)
        {
            foreach (var (symbol, falls, price) in arming.Marks)
                unmatched[(symbol.Value, falls, price, id)] =
                    unmatched.GetValueOrDefault((symbol.Value, falls, price, id)) + 1;
            foreach (var (asset, price) in arming.Indexes)
                unmatched[(asset.Value, true, price, id)] =
                    unmatched.GetValueOrDefault((asset.Value, true, price, id)) + 1;
        }
        var sets = marks
            .SelectMany(m => new[] { (m.Key.Value, true, m.Value.Falls), (m.Key.Value, false, m.Value.Rises) })
            .Concat(indexes.Select(i => (i.Key.Value, true, i.Value)));
        foreach (var (subject, falls, edges) in sets)
            foreach (var edge in edges)
            {
                var key = (subject, falls, edge.Price, edge.Account);
                if (!armed.TryGetValue(edge.Account, out var arming) || !ReferenceEquals(arming, edge.Arming))
                    return $"the edge {key} names an arming the armed map does not hold for {edge.Account}";
                if (unmatched.GetValueOrDefault(key) == 0)
                    return $"the edge {key} is not one of {edge.Account}'s armed triggers, or is held twice";
                unmatched[key]--;
            }
        return unmatched.FirstOrDefault(u => u.Value > 0) is { Value: > 0 } missing
            ? $"the armed trigger {missing.Key} has no edge"
            : null;
    }

    /// <summary>
    /// Re-evaluates <paramref name="accounts"/> and re-arms them. With <paramref name="keepNearer"/> (an event moved
    /// them), an account whose armed triggers are each at least as near as the fresh ones keeps them
    /// (<see cref="Arming.Covers"/>): a deposit or a smaller position needs no work on the sorted sets. A price that
    /// reaches a trigger always re-arms its account, so a trigger a price has crossed is replaced at the next price
    /// that reaches it.
    /// </summary>
    private TriggerIndex Rearm(LedgerState state, IEnumerable<AccountId> accounts, bool keepNearer = false)
    {
        // the usual price tick reaches nobody: the index stays as it is
        if (accounts is ICollection<AccountId> { Count: 0 })
            return this;
        var work = new Rearming(this);
        foreach (var id in accounts)
            work.Arm(state.Account(id), state.Market, keepNearer);
        return work.Done();
    }

    /// <summary>Re-evaluates and re-arms the accounts whose triggers a price reached: each edge names its account's
    /// armed triggers, so the armed map is not searched for them.</summary>
    private TriggerIndex Rearm(LedgerState state, List<Edge> crossed)
    {
        if (crossed.Count == 0)
            return this;
        var work = new Rearming(this);
        foreach (var edge in crossed)
            work.Arm(state.Account(edge.Account), state.Market, keepNearer: false, edge.Arming);
        return work.Done();
    }

    /// <summary>The triggers on <paramref name="symbol"/> the mark <paramref name="price"/> reaches, at most one per
    /// account (an account holds one position per instrument).</summary>
    private List<Edge> Crossed(Symbol symbol, decimal price)
    {
        var crossed = new List<Edge>();
        if (!marks.TryGetValue(symbol, out var edges))
            return crossed;
        Reached(edges.Falls, edges.Rises, price, crossed);
        return crossed;
    }

    private List<Edge> Crossed(Asset asset, decimal price)
    {
        var crossed = new List<Edge>();
        if (indexes.TryGetValue(asset, out var falls))
            Reached(falls, NoEdges, price, crossed);
        return crossed;
    }

    private static void Reached(
        ImmutableSortedSet<Edge> falls,
        ImmutableSortedSet<Edge> rises,
        decimal price,
        List<Edge> crossed
    )
    {
        foreach (var edge in falls.Reverse())
        {
            if (edge.Price < price)
                break;
            crossed.Add(edge);
        }
        foreach (var edge in rises)
        {
            if (edge.Price > price)
                break;
            crossed.Add(edge);
        }
    }

    private List<AccountId> ArmedOn(Asset asset) =>
        indexes.TryGetValue(asset, out var falls) ? [.. falls.Select(e => e.Account)] : [];

    /// <summary>A trigger price of one account, with the account's armed triggers it is one of (the sets order by
    /// price and account alone).</summary>
    private readonly record struct Edge(decimal Price, AccountId Account, Arming Arming);

    private sealed class EdgeOrder : IComparer<Edge>
    {
        public static readonly EdgeOrder Instance = new();

        public int Compare(Edge x, Edge y)
        {
            var byPrice = x.Price.CompareTo(y.Price);
            return byPrice != 0 ? byPrice : x.Account.CompareTo(y.Account);
        }
    }

    private sealed record Edges(ImmutableSortedSet<Edge> Falls, ImmutableSortedSet<Edge> Rises);

    /// <summary>An account's armed triggers, so re-arming can take them out.</summary>
    internal sealed record Arming(
        ImmutableArray<(Symbol Symbol, bool Falls, decimal Price)> Marks,
        ImmutableArray<(Asset Asset, decimal Price)> Indexes
    )
    {
        public static readonly Arming None = new([], []);

        /// <summary>Whether every trigger here is reached by every move: the account was liquidatable, or within the
        /// reserve, or its only prices were collateral with no index price yet, when it was armed.</summary>
        public bool AtEveryMove
        {
            get
            {
                foreach (var (_, _, price) in Marks)
                    if (price != Always)
                        return false;
                foreach (var (_, price) in Indexes)
                    if (price != Always)
                        return false;
                return true;
            }
        }

        /// <summary>
        /// Whether these triggers may stay in place of <paramref name="fresh"/>: the same prices in the same
        /// directions (both are in the account's own order), each trigger here at least as near its price as the
        /// fresh one, and none armed for every move (an account re-evaluated at every move must be re-armed as soon as
        /// it is healthy, and one armed at every move now has no nearer trigger). Every set of prices inside these
        /// triggers is then inside the fresh ones, where the account cannot be liquidatable.
        /// </summary>
        public bool Covers(Arming fresh)
        {
            if (Marks.Length != fresh.Marks.Length || Indexes.Length != fresh.Indexes.Length)
                return false;
            for (var i = 0; i < Marks.Length; i++)
            {
                var (symbol, falls, price) = Marks[i];
                var (freshSymbol, freshFalls, freshPrice) = fresh.Marks[i];
                if (symbol != freshSymbol || falls != freshFalls || !Nearer(falls, price, freshPrice))
                    return false;
            }
            for (var i = 0; i < Indexes.Length; i++)
                if (
                    Indexes[i].Asset != fresh.Indexes[i].Asset
                    || !Nearer(true, Indexes[i].Price, fresh.Indexes[i].Price)
                )
                    return false;
            return true;

            // a falling price reaches the higher trigger first, a rising one the lower; Always is a falls edge above
            // every other, so a fresh one is never covered
            static bool Nearer(bool falls, decimal armed, decimal fresh) =>
                armed != Always && (falls ? armed >= fresh : armed <= fresh);
        }
    }

    /// <summary>
    /// One batch of re-arming, on builders so a bracket change re-arming every holder stays cheap. The builders of
    /// the sorted sets and of the armed map are made when the batch first changes what they hold, so an account
    /// re-evaluated with nothing to change costs no copy.
    /// </summary>
    private sealed class Rearming(TriggerIndex from)
    {
        private Dictionary<
            Symbol,
            (ImmutableSortedSet<Edge>.Builder Falls, ImmutableSortedSet<Edge>.Builder Rises)
        >? marks;
        private Dictionary<Asset, ImmutableSortedSet<Edge>.Builder>? indexes;
        private ImmutableSortedDictionary<AccountId, Arming>.Builder? armed;

        // a builder that adds what it holds, or removes what it lacks, stays the set it was made from
        private readonly ImmutableSortedSet<AccountId>.Builder liquidatable = from.Liquidatable.ToBuilder();
        private long evaluations = from.Evaluations;

        /// <summary>Re-evaluates <paramref name="account"/> and re-arms it; <paramref name="known"/>, when given, is
        /// what it is armed with (an edge of it a price reached), else the armed map is searched. A batch re-arms an
        /// account at most once: an edge's arming is the one the batch started from, and a second pass would take
        /// out the wrong triggers.</summary>
        public void Arm(AccountState account, MarketState market, bool keepNearer, Arming? known = null)
        {
            var slack = MarginKernel.Evaluate(account, market);
            evaluations++;
            var old = known;
            var had =
                known is not null
                || (armed?.TryGetValue(account.Id, out old) ?? from.armed.TryGetValue(account.Id, out old));
            if (slack.Liquidatable)
                liquidatable.Add(account.Id);
            // a liquidatable account is armed at every move of its prices, or not at all (nothing to arm), and Covers
            // never keeps other triggers in place of those: an account armed otherwise is not in the set, and the
            // search for it is saved
            else if (!had || old!.AtEveryMove)
                liquidatable.Remove(account.Id);
            var arming = TriggersOf(account, market, slack);
            // nothing armed and nothing to arm, or triggers that may stay
            if (had ? keepNearer && old!.Covers(arming) : arming.Marks.IsEmpty && arming.Indexes.IsEmpty)
                return;
            armed ??= from.armed.ToBuilder();
            if (had)
                Disarm(account.Id, old!);
            foreach (var (symbol, falls, price) in arming.Marks)
                (falls ? Mark(symbol).Falls : Mark(symbol).Rises).Add(new Edge(price, account.Id, arming));
            foreach (var (asset, price) in arming.Indexes)
                Index(asset).Add(new Edge(price, account.Id, arming));
            if (arming.Marks.IsEmpty && arming.Indexes.IsEmpty)
                armed.Remove(account.Id);
            else
                armed[account.Id] = arming;
        }

        public TriggerIndex Done() =>
            new(
                liquidatable.ToImmutable(),
                marks is null
                    ? from.marks
                    : from.marks.SetItems(
                        marks.Select(m =>
                            KeyValuePair.Create(
                                m.Key,
                                new Edges(m.Value.Falls.ToImmutable(), m.Value.Rises.ToImmutable())
                            )
                        )
                    ),
                indexes is null
                    ? from.indexes
                    : from.indexes.SetItems(indexes.Select(i => KeyValuePair.Create(i.Key, i.Value.ToImmutable()))),
                armed?.ToImmutable() ?? from.armed,
                evaluations
            );

        private void Disarm(AccountId id, Arming old)
        {
            foreach (var (symbol, falls, price) in old.Marks)
                (falls ? Mark(symbol).Falls : Mark(symbol).Rises).Remove(new Edge(price, id, old));
            foreach (var (asset, price) in old.Indexes)
                Index(asset).Remove(new Edge(price, id, old));
        }

        private (ImmutableSortedSet<Edge>.Builder Falls, ImmutableSortedSet<Edge>.Builder Rises) Mark(Symbol symbol)
        {
            marks ??= [];
            if (!marks.TryGetValue(symbol, out var builders))
            {
                var edges = from.marks.GetValueOrDefault(symbol) ?? new Edges(NoEdges, NoEdges);
                marks[symbol] = builders = (edges.Falls.ToBuilder(), edges.Rises.ToBuilder());
            }
            return builders;
        }

        private ImmutableSortedSet<Edge>.Builder Index(Asset asset)
        {
            indexes ??= [];
            if (!indexes.TryGetValue(asset, out var builder))
                indexes[asset] = builder = (from.indexes.GetValueOrDefault(asset) ?? NoEdges).ToBuilder();
            return builder;
        }
    }

    /// <summary>The trigger prices of <paramref name="account"/>, evaluated as <paramref name="slack"/>.</summary>
    private static Arming TriggersOf(AccountState account, MarketState market, MarginSlack slack)
    {
        var collateral = 0;
        var priced = 0;
        foreach (var (asset, balance) in account.Balances)
            if (IsCollateralFactor(asset, balance, market, out var price))
            {
                collateral++;
                priced += price is null ? 0 : 1;
            }
        if (account.Positions.Count + collateral == 0)
            return Arming.None;

        // the slack each price may spend; none (re-evaluate at every move) when liquidatable or within the reserve
        var budget = slack.HasPositions ? slack.Slack : slack.Equity;
        var reserve = ReservePerFigure * (2 * account.Positions.Count + priced + 1);
        var spenders = account.Positions.Count + priced;
        decimal? spendable = slack.Liquidatable || budget <= reserve || spenders == 0 ? null : budget - reserve;
        // each price's share in proportion to what a whole move of it would cost: every trigger as far, in fractions
        // of its price, as any other. The ratio, the share and the distance are each rounded to 28 digits, so the
        // slack the triggers spend may exceed what is spendable by a few 10⁻²⁸ of it per price: below 10⁻¹³ within
        // the limits' envelope, inside the reserve's spare half (at least 2·10⁻⁸)
        var whole = 0m;
        if (spendable is not null)
        {
            foreach (var (symbol, position) in account.Positions)
            {
                var instrument = market.Instruments[symbol];
                whole += Sensitivity(instrument, position.Size) * instrument.Mark!.Value;
            }
            foreach (var (asset, balance) in account.Balances)
                if (IsCollateralFactor(asset, balance, market, out var price) && price is { } p)
                    whole += balance * p;
        }

        var marks = ImmutableArray.CreateBuilder<(Symbol, bool, decimal)>(account.Positions.Count);
        foreach (var (symbol, position) in account.Positions)
        {
            var instrument = market.Instruments[symbol];
            var mark = instrument.Mark!.Value;
            if (spendable is not { } r)
            {
                marks.Add((symbol, true, Always));
                continue;
            }
            var sensitivity = Sensitivity(instrument, position.Size);
            var distance = Distance(r * (sensitivity * mark / whole), sensitivity);
            marks.Add(position.Size > 0m ? (symbol, true, mark - distance) : (symbol, false, mark + distance));
        }
        var indexes = ImmutableArray.CreateBuilder<(Asset, decimal)>(collateral);
        foreach (var (asset, balance) in account.Balances)
            if (IsCollateralFactor(asset, balance, market, out var price))
                // an asset with no index price yet counts nothing: its first price is re-evaluated, whatever it is
                indexes.Add(
                    (
                        asset,
                        spendable is { } r && price is { } p ? p - Distance(r * (balance * p / whole), balance) : Always
                    )
                );
        return new Arming(marks.MoveToImmutable(), indexes.MoveToImmutable());
    }

    /// <summary>The most slack a position can lose per unit its mark moves against it: <c>|q|</c> for a long (its
    /// maintenance margin falls too), <c>|q| × (1 + mmr)</c> for a short, with the instrument's highest rate.</summary>
    private static decimal Sensitivity(InstrumentState instrument, decimal size) =>
        size > 0m ? size : -size * (1m + instrument.Spec.Tiers.Tiers[^1].Mmr);

    private static bool IsCollateralFactor(Asset asset, decimal balance, MarketState market, out decimal? price)
    {
        price = null;
        if (balance <= 0m || asset == Venue.SettlementAsset || !market.Collateral.TryGetValue(asset, out var listed))
            return false;
        price = listed.IndexPrice;
        return true;
    }

    /// <summary>How far a price may move against the account before <paramref name="share"/> of slack is spent at
    /// <paramref name="sensitivity"/> per unit: rounded toward zero, so never farther than the bound.</summary>
    private static decimal Distance(decimal share, decimal sensitivity) =>
        share / FarthestTrigger >= sensitivity
            ? FarthestTrigger
            : decimal.Round(share / sensitivity, 12, MidpointRounding.ToZero);
}
