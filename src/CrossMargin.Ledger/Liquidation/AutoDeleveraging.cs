using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>An opposite-side position that may take (ADL) or share (socialised loss) a liquidated slice.</summary>
/// <param name="Equity">the counterparty's equity before it takes anything (settlement asset).</param>
public sealed record Counterparty(
    AccountId Account,
    decimal Size,
    decimal EntryPrice,
    decimal UnrealizedPnl,
    decimal Score,
    decimal Equity
);

/// <summary>
/// Who bears what the insurance fund cannot. Candidates are the other accounts holding the opposite side
/// of the instrument, with positive equity (an account at or below zero is itself in liquidation).
/// ADL ranking (BitMEX): <c>PnL% = uPnL / (|size| × entry)</c>; effective leverage =
/// <c>|mark value| / (mark value − bankruptcy value)</c>, which in cross margin is
/// <c>N_i / (E × MM_i / MM)</c> (the position's share of equity); score = PnL% × leverage for winners,
/// PnL% / leverage otherwise; highest score first, ties by account id.
/// <para>
/// A cascade ranks each instrument and side once (<see cref="Ranked"/>) and keeps the order in the state
/// (<see cref="AdlBook"/>): while the marks stay where they were, a score changes only when an event touches its
/// account, so later deficit slices re-score only the accounts touched since instead of every opposite holder.
/// </para>
/// </summary>
public static class AutoDeleveraging
{
    /// <summary>The ranked opposite-side positions of <paramref name="symbol"/> against a position of sign <paramref
    /// name="liquidatedSign"/>, every holder's full margin report built afresh: the reference the kept order
    /// (<see cref="Ranked"/>) is tested against, and what the engine uses with <see cref="TriggerIndex.FullScan"/>.
    /// </summary>
    public static IReadOnlyList<Counterparty> Rank(
        LedgerState state,
        Symbol symbol,
        AccountId liquidated,
        int liquidatedSign
    )
    {
        var ranked = new List<Counterparty>();
        foreach (var id in state.HoldersOf(symbol))
        {
            if (id == liquidated)
                continue;
            var account = state.Account(id);
            if (Math.Sign(account.Size(symbol)) != -liquidatedSign)
                continue;
            var m = MarginCalculator.Compute(account, state.Market);
            if (m.Equity <= 0m)
                continue;
            var p = m.Positions.Single(x => x.Symbol == symbol);
            var pnlPercent = Rounding.Divide(p.UnrealizedPnl, Math.Abs(p.Size) * p.EntryPrice);
            var leverage = Rounding.Divide(p.Notional * m.MaintenanceMargin, m.Equity * p.MaintenanceMargin);
            var score = pnlPercent > 0m ? Rounding.Round(pnlPercent * leverage) : Rounding.Divide(pnlPercent, leverage);
            ranked.Add(new Counterparty(id, p.Size, p.EntryPrice, p.UnrealizedPnl, score, m.Equity));
        }
        return [.. ranked.OrderByDescending(c => c.Score).ThenBy(c => c.Account)];
    }

    /// <summary>
    /// The same order as <see cref="Rank"/>, from the state's <see cref="AdlBook"/> when it holds this instrument and
    /// side, re-scoring only the accounts touched since; and the state carrying the book. The liquidated account
    /// holds the other side, so it is never in the order; callers skip it all the same. A state with
    /// <see cref="TriggerIndex.FullScan"/> ranks afresh.
    /// </summary>
    public static (IEnumerable<Counterparty> Ranked, LedgerState State) Ranked(
        LedgerState state,
        Symbol symbol,
        int liquidatedSign
    )
    {
        if (state.Triggers is { IsFullScan: true })
            return (Rank(state, symbol, default, liquidatedSign), state);
        var book = state.Adl ?? AdlBook.Empty;
        var ranking = book.Ranking(symbol, liquidatedSign, state);
        return (ranking.Order, state with { Adl = book.With(symbol, liquidatedSign, ranking) });
    }

    /// <summary>The account's opposite-side position in <paramref name="symbol"/> as a counterparty, or null when it
    /// holds none on side <paramref name="side"/> or its equity is not positive. Figures from the margin kernel,
    /// which gives the full report's decimals.</summary>
    internal static Counterparty? Score(AccountState account, Symbol symbol, int side, MarketState market)
    {
        if (!account.Positions.TryGetValue(symbol, out var position) || Math.Sign(position.Size) != side)
            return null;
        var m = MarginKernel.Evaluate(account, market);
        if (m.Equity <= 0m)
            return null;
        var p = PositionFigures.Of(account.Id, symbol, position, market);
        var pnlPercent = Rounding.Divide(p.Upnl, Math.Abs(position.Size) * position.EntryPrice);
        var leverage = Rounding.Divide(p.Notional * m.MaintenanceMargin, m.Equity * p.MaintenanceMargin);
        var score = pnlPercent > 0m ? Rounding.Round(pnlPercent * leverage) : Rounding.Divide(pnlPercent, leverage);
        return new Counterparty(account.Id, position.Size, position.EntryPrice, p.Upnl, score, m.Equity);
    }
}

/// <summary>
/// The ADL rankings a cascade has asked for (design §9), per instrument and liquidated side, each with the accounts
/// events have touched since it was ranked. The fold keeps it: an event that touches an account marks it in every
/// ranking, an event that moves a price or a risk parameter drops the book (every score may change), and the engine
/// drops it when its cascade ends. A cache: <see cref="AutoDeleveraging.Ranked"/> gives what a fresh ranking gives.
/// </summary>
public sealed class AdlBook
{
    internal static readonly AdlBook Empty = new(ImmutableDictionary<(Symbol, int), AdlRanking>.Empty);

    private readonly ImmutableDictionary<(Symbol Symbol, int Side), AdlRanking> rankings;

    private AdlBook(ImmutableDictionary<(Symbol, int), AdlRanking> rankings) => this.rankings = rankings;

    /// <summary>The book once <paramref name="e"/> has been folded, or null when the event drops it (a price or
    /// parameter, a listing, or an event type not named here).</summary>
    internal AdlBook? After(ILedgerEvent e) =>
        e switch
        {
            ILiquidationTrigger or InstrumentListed or CollateralListed => null,
            _ when MarginInputs.AccountsMoved(e) is { } moved => moved.Aggregate(this, (book, a) => book.Touched(a)),
            // no account's balances or positions, no price: the order stands
            _ when MarginInputs.MovesNothing(e) => this,
            // an event type named nowhere drops the book: a later event type costs a ranking, never a stale one
            _ => null,
        };

    internal AdlRanking Ranking(Symbol symbol, int liquidatedSign, LedgerState state) =>
        rankings.TryGetValue((symbol, liquidatedSign), out var ranking)
            ? ranking.Refreshed(symbol, -liquidatedSign, state)
            : AdlRanking.Of(symbol, -liquidatedSign, state);

    internal AdlBook With(Symbol symbol, int liquidatedSign, AdlRanking ranking) =>
        new(rankings.SetItem((symbol, liquidatedSign), ranking));

    private AdlBook Touched(AccountId account) =>
        rankings.IsEmpty
            ? this
            : new(rankings.SetItems(rankings.Select(r => KeyValuePair.Create(r.Key, r.Value.Touched(account)))));
}

/// <summary>One instrument and side's counterparties in ADL order, and the accounts touched since they were
/// scored.</summary>
internal sealed record AdlRanking(
    ImmutableSortedSet<Counterparty> Order,
    ImmutableDictionary<AccountId, Counterparty> ByAccount,
    ImmutableHashSet<AccountId> Dirty
)
{
    private static readonly IComparer<Counterparty> AdlOrder = Comparer<Counterparty>.Create(
        (x, y) =>
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : x.Account.CompareTo(y.Account);
        }
    );

    public static AdlRanking Of(Symbol symbol, int side, LedgerState state)
    {
        var scored = state
            .HoldersOf(symbol)
            .Select(id => AutoDeleveraging.Score(state.Account(id), symbol, side, state.Market))
            .OfType<Counterparty>()
            .ToList();
        return new(ImmutableSortedSet.CreateRange(AdlOrder, scored), scored.ToImmutableDictionary(c => c.Account), []);
    }

    public AdlRanking Touched(AccountId account) => this with { Dirty = Dirty.Add(account) };

    /// <summary>The ranking with every touched account scored again.</summary>
    public AdlRanking Refreshed(Symbol symbol, int side, LedgerState state)
    {
        if (Dirty.IsEmpty)
            return this;
        var order = Order.ToBuilder();
        var byAccount = ByAccount.ToBuilder();
        foreach (var id in Dirty)
        {
            if (byAccount.TryGetValue(id, out var old))
            {
                order.Remove(old);
                byAccount.Remove(id);
            }
            if (AutoDeleveraging.Score(state.Account(id), symbol, side, state.Market) is { } scored)
            {
                order.Add(scored);
                byAccount[id] = scored;
            }
        }
        return new(order.ToImmutable(), byAccount.ToImmutable(), []);
    }
}
