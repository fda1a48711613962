using System.Diagnostics;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// Liquidates one account (design §4): <see cref="LiquidationTriggered"/> with every input; then steps,
/// largest position MM first (ties by symbol): above bracket 1 a position is reduced to the cap of the
/// next lower bracket (quantity rounded up to the step), in bracket 1 it is closed; after each step
/// the account is re-evaluated and the liquidation stops once <c>E &gt; MM × (1 + buffer)</c>. Each slice
/// gets its bankruptcy price by the dYdX cross-margin rule and is filled at the mark moved by slippage;
/// a positive margin <c>d</c> pays the fee (capped at <c>d</c>) to the insurance fund, a deficit is paid by
/// the fund for as much of the slice as it can cover, and the rest goes to ADL or socialised loss.
/// </summary>
public static class LiquidationDecider
{
    /// <summary>Liquidates the account if it is liquidatable (no events when it is not), with the state that leads
    /// to.</summary>
    public static Transition Decide(LiquidateAccount c, LedgerState state)
    {
        var account = state.Account(c.Account);
        var before = MarginCalculator.WithoutPrices(account, state.Market);
        if (!before.Liquidatable)
            return new Transition(Decision.Accept(), state);
        // a flat account in debt with nothing left to sell and an empty fund: a liquidation could change nothing
        if (account.Positions.IsEmpty && !Settleable(account, state))
            return new Transition(Decision.Accept(), state);

        var id = LiquidationIds.Next(account);
        var policy = state.Market.Policy;
        var run = new Run(c.Account, id, policy, state, c.Caps);
        run = run.Emit(
            run.Stream,
            new LiquidationTriggered(
                LiquidationId: id,
                Account: c.Account,
                TriggerType: c.Trigger.EventType,
                TriggerSymbol: c.Trigger.Symbol,
                TriggerPrice: c.Trigger.Price,
                CollateralValue: before.CollateralValue,
                UnrealizedPnl: before.UnrealizedPnl,
                Equity: before.Equity,
                MaintenanceMargin: before.MaintenanceMargin,
                MarginRatio: before.MarginRatio,
                Buffer: policy.Buffer,
                DeficitPolicy: policy.DeficitPolicy,
                InsuranceFund: state.InsuranceFundBalance,
                Positions: LiquidationSnapshots.Positions(before),
                Prices: LiquidationSnapshots.Prices(account, state.Market)
            )
        );

        // the trigger event counts the liquidation and moves no balance, position or price: the report before it
        // holds after it
        var m = before;
        var reported = run.State;
        while (true)
        {
            if (!ReferenceEquals(reported, run.State))
                (m, reported) = (
                    MarginCalculator.WithoutPrices(run.State.Account(c.Account), run.State.Market),
                    run.State
                );
            if (m.Positions.IsEmpty || (!policy.CloseInFull && m.Equity > m.MaintenanceMargin * (1m + policy.Buffer)))
                break;
            if (NextSlice(m, run) is not { } slice)
            {
                run.Capped = true;
                break;
            }
            run = Step(run.NextStep(), m, slice);
        }

        if (run.State.Account(c.Account).Positions.IsEmpty)
        {
            run = SettleDebt(run);
            // flat: what the slices left uncovered sits on the settlement balance; what is still owed after the sale
            // and the fund is the bad debt
            run.SettledUncovered = Math.Max(-run.State.Account(c.Account).Balance(Venue.SettlementAsset), 0m);
        }
        // the loop's last report, unless the debt's settlement moved the account since
        var after = ReferenceEquals(reported, run.State)
            ? m
            : MarginCalculator.WithoutPrices(run.State.Account(c.Account), run.State.Market);
        var positions = LiquidationSnapshots.Positions(after);
        var fund = run.State.InsuranceFundBalance;
        Events.ILedgerEvent end = run.Deficit
            ? new AccountBankrupt(
                id,
                c.Account,
                run.Steps,
                after.Equity,
                run.CoveredByFund,
                run.CollateralProceeds,
                run.Socialized,
                run.Uncovered,
                fund,
                run.InstrumentDeficits(),
                positions
            )
            : new LiquidationCompleted(
                id,
                c.Account,
                run.Steps,
                run.Capped ? LiquidationOutcome.Capped
                    : positions.Count == 0 ? LiquidationOutcome.Flat
                    : LiquidationOutcome.Healthy,
                after.Equity,
                after.MaintenanceMargin,
                after.MarginRatio,
                fund,
                positions
            );
        run = run.Emit(run.Stream, end);
        return new Transition(new Decision.Accepted([.. run.Events]), run.State);
    }

    /// <summary>The position to reduce next and by how much, within the per-price-event caps; null when every candidate
    /// is capped.</summary>
    private static Slice? NextSlice(AccountMargin m, Run run)
    {
        var state = run.State;
        var order = m.Positions.ToArray();
        // largest MM first, ties by symbol (symbols are unique, so the order is total)
        Array.Sort(
            order,
            (x, y) =>
                y.MaintenanceMargin.CompareTo(x.MaintenanceMargin) is var c and not 0 ? c : x.Symbol.CompareTo(y.Symbol)
        );
        foreach (var p in order)
        {
            var spec = state.Market.Instruments[p.Symbol].Spec;
            var slice =
                run.Policy.CloseInFull
                    ? new Slice(p, spec, WithinBudget(run, p, spec, Math.Abs(p.Size)), StepRule.CloseInFull)
                : p.Tier == 1 ? new Slice(p, spec, WithinBudget(run, p, spec, Math.Abs(p.Size)), StepRule.CloseInTier1)
                : StepDown(run, p, spec);
            if (slice.Quantity > 0m)
                return slice;
        }
        return null;
    }

    /// <summary>
    /// The least step-down that restores <c>E &gt; MM × (1 + buffer)</c> with no fee: to the cap of the next lower
    /// bracket,
    /// else of the one below, and so on; when none does, the position is closed
    /// (<c>close-step-down-cannot-restore</c>).
    /// A slice the per-price-event cap cuts short is taken as it is.
    /// </summary>
    private static Slice StepDown(Run run, PositionMargin p, InstrumentSpec spec)
    {
        var size = Math.Abs(p.Size);
        for (var bracket = p.Tier - 1; bracket >= 1; bracket--)
        {
            var wanted = StepDownTo(p, spec, size, spec.Tiers.Tiers[bracket - 1].Cap!.Value);
            var slice = new Slice(p, spec, WithinBudget(run, p, spec, wanted), StepRule.TierStepDown);
            if (slice.Quantity == 0m)
                return slice;
            // the step caps its fee by this slack, so it is computed once, here
            var slack = SlackAfter(run, slice, slice.Quantity, FillPrice(p, spec));
            if (slice.Quantity < wanted || slack > 0m)
                return slice with { Slack = slack };
        }
        return new Slice(p, spec, WithinBudget(run, p, spec, size), StepRule.CloseStepDownCannotRestore);
    }

    /// <summary>The mark moved against the account by the instrument's liquidation slippage, never below
    /// 10⁻⁸.</summary>
    private static decimal FillPrice(PositionMargin p, InstrumentSpec spec) =>
        Math.Max(
            Rounding.Normalize(
                p.Size > 0m
                    ? p.MarkPrice * (1m - spec.LiquidationSlippage)
                    : p.MarkPrice * (1m + spec.LiquidationSlippage)
            ),
            Price.Unit
        );

    /// <summary>
    /// Settlement debt left once the positions are gone: collateral is sold (assets in name order, each at its index
    /// price times its first band's ratio, rounded down; as much as the debt needs, to the asset's precision), then the
    /// insurance fund pays what it can; what is left stays on the account, uncovered bad debt.
    /// </summary>
    private static Run SettleDebt(Run run)
    {
        var account = run.State.Account(run.Account);
        var debt = -account.Balance(Venue.SettlementAsset);
        foreach (var (asset, balance, index, price, precision) in Sales(account, run.State).ToArray())
        {
            if (debt <= 0m)
                break;
            var quantity = Math.Min(
                balance,
                decimal.Round(debt / price, precision, MidpointRounding.ToPositiveInfinity)
            );
            var proceeds = Money.Credit(quantity * price);
            run = run.NextStep();
            run = run.Emit(
                run.Stream,
                new CollateralSold(
                    run.Id,
                    run.Account,
                    run.Steps,
                    asset,
                    quantity,
                    index,
                    price,
                    proceeds,
                    Venue.SettlementAsset
                )
            );
            debt -= proceeds;
        }
        if (debt <= 0m)
            return run;
        run.Deficit = true;
        var payout = Math.Min(Money.Debit(debt), run.State.InsuranceFundBalance);
        if (payout <= 0m)
            return run;
        run = run.NextStep();
        run = run.Emit(run.Stream, new DebtCovered(run.Id, run.Account, run.Steps, Venue.SettlementAsset, payout));
        return run.Emit(
            Streams.InsuranceFund,
            new InsuranceFundChanged(
                run.Id,
                run.Account,
                run.Steps,
                Venue.SettlementAsset,
                -payout,
                run.State.InsuranceFundBalance
            )
        );
    }

    /// <summary>Whether a flat account's debt could be paid down: collateral it can sell, or an insurance fund to
    /// pay.</summary>
    internal static bool Settleable(Accounts.AccountState account, LedgerState state) =>
        state.InsuranceFundBalance > 0m || Sales(account, state).Any();

    /// <summary>The collateral an account can sell, in asset name order: balance, index price, sale price (index ×
    /// first band ratio, down), precision.</summary>
    private static IEnumerable<(Asset Asset, decimal Balance, decimal Index, decimal Price, int Precision)> Sales(
        Accounts.AccountState account,
        LedgerState state
    )
    {
        foreach (var (asset, balance) in account.Balances)
        {
            if (
                asset == Venue.SettlementAsset
                || balance <= 0m
                || !state.Market.Collateral.TryGetValue(asset, out var collateral)
                || collateral.IndexPrice is not { } index
            )
                continue;
            if (Price.FloorOf(index * collateral.Schedule.Bands[0].Ratio) is { } price)
                yield return (asset, balance, index, price, collateral.Limits.Precision);
        }
    }

    /// <summary>At most what is left of the instrument's per-price-event notional cap, to the step.</summary>
    private static decimal WithinBudget(Run run, PositionMargin p, InstrumentSpec spec, decimal quantity) =>
        run.Caps.NotionalLeft.TryGetValue(p.Symbol, out var left)
            ? Math.Min(quantity, Quantity.Floor(Rounding.Divide(Math.Max(left, 0m), p.MarkPrice), spec.QuantityStep))
            : quantity;

    /// <summary><c>E − MM × (1 + buffer)</c> of the account after the slice is filled with no fee: what a fee may take
    /// and leave it standing.</summary>
    private static decimal SlackAfter(Run run, Slice slice, decimal quantity, decimal fill)
    {
        // the bankruptcy price is a record on the event; the fold does not read it
        var after = LedgerRuntime.Probe(
            run.State,
            Liquidated(run, slice, quantity, fill, bankruptcy: fill, Execution.Market, fundDelta: 0m)
        );
        var m = MarginCalculator.WithoutPrices(after.Account(run.Account), after.Market);
        return m.Equity - m.MaintenanceMargin * (1m + run.Policy.Buffer);
    }

    /// <summary>The largest whole amount strictly below <paramref name="amount"/> (a fee that leaves the account
    /// strictly above its margin).</summary>
    private static decimal LargestBelow(decimal amount)
    {
        var whole = Money.Credit(amount);
        return Math.Max(whole == amount ? whole - Money.Unit : whole, 0m);
    }

    /// <summary>The quantity that brings the notional just under <paramref name="cap"/>, a lower bracket's
    /// cap.</summary>
    private static decimal StepDownTo(PositionMargin p, InstrumentSpec spec, decimal size, decimal cap)
    {
        decimal quantity = Quantity.Ceiling(size - Rounding.Divide(cap, p.MarkPrice), spec.QuantityStep);
        if ((size - quantity) * p.MarkPrice >= cap)
            quantity += spec.QuantityStep;
        return Math.Min(quantity, size);
    }

    private static Run Step(Run run, AccountMargin m, Slice slice)
    {
        var p = slice.Position;
        var s = Math.Sign(p.Size);
        var mark = p.MarkPrice;
        var quantity = slice.Quantity;
        var remaining = (Math.Abs(p.Size) - quantity) * mark;
        var mmAfter =
            remaining == 0m ? 0m : Money.Debit(slice.Spec.Tiers.For(remaining).Tier.MaintenanceMargin(remaining));
        // BQ(Δ) = −ΔNNV − E·|ΔMM| / MM, per unit of the signed slice s·Δ. A deficit an earlier slice left uncovered
        // stays with its own instrument: it is added back, so it never moves this slice's bankruptcy price.
        var equity = m.Equity + run.Uncovered;
        var raw = mark - Rounding.Divide(equity * (p.MaintenanceMargin - mmAfter), m.MaintenanceMargin * s * quantity);
        // no price is ≤ 0: clamp to the least price (10⁻⁸, never above a mark); for a short, buying back at the clamp
        // costs more than at its bankruptcy price, and that is a deficit nothing in this instrument can cover
        var bankruptcy = Math.Max(raw, Price.Unit);
        if (bankruptcy != raw && s < 0)
        {
            run = run.Cover(p.Symbol, CoverKind.Uncovered, Money.Debit(quantity * (bankruptcy - raw)));
            run.Deficit = true;
        }
        var fill = FillPrice(p, slice.Spec);
        var unitMargin = s > 0 ? fill - bankruptcy : bankruptcy - fill; // d per unit: ≥ 0 pays a fee, < 0 is a deficit
        if (unitMargin >= 0m)
        {
            // the fee is a debit of the account, capped at d (rounded down) so the slice never leaves it below its
            // share of zero
            var fee = Math.Min(
                Money.Debit(slice.Spec.LiquidationFeeRate * quantity * fill),
                Money.Credit(quantity * unitMargin)
            );
            // a step-down exists to leave the account standing: its fee is capped so that E > MM × (1 + buffer) after
            // it
            if (slice.Slack is > 0m and var slack)
                fee = Math.Min(fee, LargestBelow(slack));
            return Fill(run, slice, quantity, fill, bankruptcy, Execution.Market, fundDelta: fee);
        }

        run.Deficit = true;
        var unitDeficit = -unitMargin;
        var fund = run.State.InsuranceFundBalance;
        var covered =
            fund >= Money.Debit(quantity * unitDeficit)
                ? quantity
                : Math.Min(
                    quantity,
                    Quantity.Floor(Rounding.Divide(Math.Max(fund, 0m), unitDeficit), slice.Spec.QuantityStep)
                );
        if (covered > 0m)
        {
            // the payout brings the account's share to zero (rounded up) but never exceeds the fund
            var payout = Math.Min(Money.Debit(covered * unitDeficit), fund);
            run = Fill(
                run.Cover(p.Symbol, CoverKind.Fund, payout),
                slice,
                covered,
                fill,
                bankruptcy,
                Execution.Market,
                fundDelta: -payout
            );
        }
        var rest = quantity - covered;
        if (rest == 0m)
            return run;
        return run.Policy.DeficitPolicy == DeficitPolicy.Adl
            ? Deleverage(run, slice, rest, fill, bankruptcy, unitDeficit)
            : Socialize(run, slice, rest, fill, bankruptcy, unitDeficit);
    }

    private static Run Deleverage(
        Run run,
        Slice slice,
        decimal rest,
        decimal fill,
        decimal bankruptcy,
        decimal unitDeficit
    )
    {
        var s = Math.Sign(slice.Position.Size);
        var symbol = slice.Position.Symbol;
        var (counterparties, ranked) = AutoDeleveraging.Ranked(run.State, symbol, s);
        run = run.Ranked(ranked);
        var taken = new List<(Counterparty Party, decimal Quantity, int Rank)>();
        var left = rest;
        var place = 0;
        foreach (var party in counterparties)
        {
            if (left <= 0m)
                break;
            if (party.Account == run.Account)
                continue;
            place++;
            var quantity = Affordable(run, party, slice, bankruptcy, Math.Min(left, Math.Abs(party.Size)));
            if (quantity <= 0m)
                continue;
            taken.Add((party, quantity, place));
            left -= quantity;
        }
        var transferred = rest - left;
        if (transferred > 0m)
        {
            run = run.Cover(symbol, CoverKind.Deleveraged, Money.Debit(transferred * unitDeficit), transferred);
            run = Fill(run, slice, transferred, bankruptcy, bankruptcy, Execution.Adl, fundDelta: 0m);
            foreach (var (party, quantity, rank) in taken)
                run = run.Emit(
                    Streams.Account(party.Account),
                    Deleveraged(run, party, symbol, quantity, bankruptcy, rank)
                );
        }
        if (left <= 0m)
            return run;
        run = run.Cover(symbol, CoverKind.Uncovered, Money.Debit(left * unitDeficit));
        return Fill(run, slice, left, fill, bankruptcy, Execution.Uncovered, fundDelta: 0m);
    }

    private static PositionAutoDeleveraged Deleveraged(
        Run run,
        Counterparty party,
        Symbol symbol,
        decimal quantity,
        decimal price,
        int rank
    )
    {
        var sign = Math.Sign(party.Size);
        return new PositionAutoDeleveraged(
            LiquidationId: run.Id,
            Account: party.Account,
            LiquidatedAccount: run.Account,
            Symbol: symbol,
            Quantity: quantity,
            Price: price,
            SizeBefore: party.Size,
            EntryPrice: party.EntryPrice,
            SizeAfter: party.Size - sign * quantity,
            RealizedPnl: Money.Credit(quantity * (price - party.EntryPrice) * sign),
            Rank: rank,
            Score: party.Score,
            Asset: Venue.SettlementAsset
        );
    }

    /// <summary>
    /// How much of <paramref name="wanted"/> the counterparty can take at <paramref name="price"/> without its equity
    /// going
    /// below zero (dYdX v4 skips offsetting accounts it cannot update; here the counterparty takes what its equity
    /// covers):
    /// closing at a price worse than the mark costs <c>|mark − price|</c> per unit of its equity, so at most
    /// <c>E / |mark − price|</c>, to the step, and checked on the folded result (a few steps lower at most, else
    /// nothing).
    /// </summary>
    private static decimal Affordable(Run run, Counterparty party, Slice slice, decimal price, decimal wanted)
    {
        var sign = Math.Sign(party.Size);
        var adverse = sign > 0 ? slice.Position.MarkPrice - price : price - slice.Position.MarkPrice;
        var step = slice.Spec.QuantityStep;
        var quantity =
            adverse <= 0m ? wanted : Math.Min(wanted, Quantity.Floor(Rounding.Divide(party.Equity, adverse), step));
        // the formula is exact up to satoshi rounding, so a step or two below it always holds; a bounded search keeps
        // it cheap
        for (var attempt = 0; attempt < 4 && quantity > 0m; attempt++)
        {
            var after = LedgerRuntime.Probe(
                run.State,
                Deleveraged(run, party, slice.Position.Symbol, quantity, price, rank: 0)
            );
            if (MarginCalculator.WithoutPrices(after.Account(party.Account), after.Market).Equity >= 0m)
                return quantity;
            quantity = quantity == wanted && quantity % step != 0m ? Quantity.Floor(quantity, step) : quantity - step;
        }
        return 0m;
    }

    private static Run Socialize(
        Run run,
        Slice slice,
        decimal rest,
        decimal fill,
        decimal bankruptcy,
        decimal unitDeficit
    )
    {
        var symbol = slice.Position.Symbol;
        run = Fill(run, slice, rest, fill, bankruptcy, Execution.Socialized, fundDelta: 0m);
        var deficit = Money.Debit(rest * unitDeficit);
        // each winner pays at most its profit over the whole price event: what earlier slices charged it is used up
        var (counterparties, ranked) = AutoDeleveraging.Ranked(run.State, symbol, Math.Sign(slice.Position.Size));
        run = run.Ranked(ranked);
        var winners = counterparties
            .Where(c => c.Account != run.Account)
            .Select(c => (c.Account, c.UnrealizedPnl, Capacity: c.UnrealizedPnl - run.Caps.ChargedTo(c.Account)))
            .Where(c => c.Capacity > 0m)
            .OrderBy(c => c.Account)
            .ToArray();
        var capacity = winners.Sum(w => w.Capacity);
        var charge = Math.Min(deficit, capacity);
        var charged = 0m;
        for (var i = 0; i < winners.Length && charge > charged; i++)
        {
            // pro rata to what each can still pay, rounded down; the last takes the remainder, within its capacity
            var share =
                i == winners.Length - 1
                    ? Math.Min(charge - charged, winners[i].Capacity)
                    : Money.Credit(charge * winners[i].Capacity / capacity);
            if (share <= 0m)
                continue;
            charged += share;
            run = run.Emit(
                Streams.Account(winners[i].Account),
                new LossSocialized(
                    run.Id,
                    winners[i].Account,
                    run.Account,
                    symbol,
                    share,
                    winners[i].UnrealizedPnl,
                    Venue.SettlementAsset
                )
            );
        }
        return run.Cover(symbol, CoverKind.Socialized, charged).Cover(symbol, CoverKind.Uncovered, deficit - charged);
    }

    /// <summary>Closes <paramref name="quantity"/> of the slice's position at <paramref name="price"/> as one <see
    /// cref="PositionLiquidated"/>.</summary>
    private static Run Fill(
        Run run,
        Slice slice,
        decimal quantity,
        decimal price,
        decimal bankruptcy,
        Execution execution,
        decimal fundDelta
    )
    {
        run = run.Emit(run.Stream, Liquidated(run, slice, quantity, price, bankruptcy, execution, fundDelta));
        return fundDelta == 0m
            ? run
            : run.Emit(
                Streams.InsuranceFund,
                new InsuranceFundChanged(
                    run.Id,
                    run.Account,
                    run.Steps,
                    Venue.SettlementAsset,
                    fundDelta,
                    run.State.InsuranceFundBalance
                )
            );
    }

    private static PositionLiquidated Liquidated(
        Run run,
        Slice slice,
        decimal quantity,
        decimal price,
        decimal bankruptcy,
        Execution execution,
        decimal fundDelta
    )
    {
        var position = run.State.Account(run.Account).Positions[slice.Position.Symbol];
        var s = Math.Sign(position.Size);
        var sizeAfter = position.Size - s * quantity;
        var mark = slice.Position.MarkPrice;
        var notionalAfter = Math.Abs(sizeAfter) * mark;
        int? tierAfter = sizeAfter == 0m ? null : slice.Spec.Tiers.For(notionalAfter).Number;
        var pnl = quantity * (price - position.EntryPrice) * s;
        var realized = execution == Execution.Adl ? Money.BankruptcyCredit(pnl) : Money.Credit(pnl);
        var fee = fundDelta > 0m ? fundDelta : 0m;
        return new PositionLiquidated(
            LiquidationId: run.Id,
            Account: run.Account,
            Step: run.Steps,
            Symbol: slice.Position.Symbol,
            Side: s > 0 ? Side.Short : Side.Long,
            Quantity: quantity,
            MarkPrice: mark,
            FillPrice: price,
            BankruptcyPrice: bankruptcy,
            NotionalAtMark: Rounding.Normalize(quantity * mark),
            SizeBefore: position.Size,
            EntryPrice: position.EntryPrice,
            SizeAfter: sizeAfter,
            TierBefore: slice.Spec.Tiers.For(Math.Abs(position.Size) * mark).Number,
            TierAfter: tierAfter,
            RealizedPnl: realized,
            Fee: fee,
            InsuranceFundDelta: fundDelta,
            Rule: slice.Rule,
            Execution: execution,
            Asset: Venue.SettlementAsset
        );
    }

    /// <param name="Slack">a step-down's <c>E − MM × (1 + buffer)</c> after it with no fee (what its fee may take);
    /// null otherwise.</param>
    private sealed record Slice(
        PositionMargin Position,
        InstrumentSpec Spec,
        decimal Quantity,
        StepRule Rule,
        decimal? Slack = null
    );

    /// <summary>Who covered part of an instrument's slice deficits.</summary>
    private enum CoverKind
    {
        Fund,
        Deleveraged,
        Socialized,
        Uncovered,
    }

    /// <summary>One cover of a slice's deficit: an amount in settlement asset (and for ADL the quantity
    /// transferred).</summary>
    private sealed record Cover(Symbol Symbol, CoverKind Kind, decimal Amount, decimal Quantity);

    /// <summary>
    /// One liquidation as far as it has gone. It lives inside one <see cref="Decide"/> call and is changed in place:
    /// each step changes it and returns it, so a step reads as a fold of the one before (a liquidation makes dozens of
    /// changes; a record copied at each was a tenth of what a stress study allocated). No step keeps an earlier run,
    /// so none sees a later change. <see cref="Emit"/> is the only way an event enters it; it folds the event
    /// (<see cref="LedgerRuntime.Fold(LedgerState, Events.ILedgerEvent)"/>) and moves the caps
    /// (<see cref="LiquidationCaps.After"/>), so every later figure sees it. Every tally is a sum over the events and
    /// the deficit covers the steps recorded.
    /// </summary>
    private sealed class Run(
        AccountId account,
        string id,
        LiquidationPolicy policy,
        LedgerState state,
        LiquidationCaps caps
    )
    {
        private readonly List<Emitted> events = [];
        private readonly List<Cover> covers = [];

        public AccountId Account { get; } = account;
        public string Id { get; } = id;
        public LiquidationPolicy Policy { get; } = policy;

        /// <summary>The state every event so far leads to.</summary>
        public LedgerState State { get; private set; } = state;

        public LiquidationCaps Caps { get; private set; } = caps;

        /// <summary>The liquidated account's stream, named once when the run starts (a run never changes its
        /// account): its events share the one string.</summary>
        public string Stream { get; } = Streams.Account(account);

        /// <summary>The events so far, in order.</summary>
        public IReadOnlyList<Emitted> Events => events;

        public int Steps { get; private set; }
        public bool Capped { get; set; }
        public bool Deficit { get; set; }

        /// <summary>Once a flat account's debt was settled: what it still owes (replaces the slices' uncovered
        /// sum).</summary>
        public decimal? SettledUncovered { get; set; }

        /// <summary>What the fund paid: for the slices of every instrument and for a flat account's debt.</summary>
        public decimal CoveredByFund => Sum(CoverKind.Fund) + DebtPaid;

        /// <summary>What the fund paid towards a flat account's debt: Σ of the
        /// <see cref="CrossMargin.Ledger.Liquidation.DebtCovered"/> events.</summary>
        private decimal DebtPaid { get; set; }

        /// <summary>Σ of the <see cref="CrossMargin.Ledger.Liquidation.CollateralSold"/> events' proceeds.</summary>
        public decimal CollateralProceeds { get; private set; }

        public decimal Socialized => Sum(CoverKind.Socialized);

        /// <summary>What the slices left uncovered, or once a flat account's debt was settled, what it still
        /// owes.</summary>
        public decimal Uncovered => SettledUncovered ?? Sum(CoverKind.Uncovered);

        /// <summary>Counts the next step (the events it emits carry the number).</summary>
        public Run NextStep()
        {
            Steps++;
            return this;
        }

        /// <summary>Takes the state an ADL ranking returned: the same ledger, the ranking kept in its
        /// book.</summary>
        public Run Ranked(LedgerState ranked)
        {
            State = ranked;
            return this;
        }

        /// <summary>Records an event and folds it, so every later figure sees it.</summary>
        public Run Emit(string stream, Events.ILedgerEvent e)
        {
            var folded = LedgerRuntime.Fold(State, e);
            events.Add(new Emitted(stream, e));
            State = folded;
            Caps = Caps.After(e);
            DebtPaid += e is DebtCovered covered ? covered.Amount : 0m;
            CollateralProceeds += e is CollateralSold sold ? sold.Proceeds : 0m;
            return this;
        }

        /// <summary>Records who covered part of <paramref name="symbol"/>'s slice deficit (design §4: a deficit stays
        /// with its instrument).</summary>
        public Run Cover(Symbol symbol, CoverKind kind, decimal amount, decimal quantity = 0m)
        {
            covers.Add(new Cover(symbol, kind, amount, quantity));
            return this;
        }

        /// <summary>The per-instrument deficits, in symbol order; each deficit is the sum of its covers.</summary>
        public InstrumentDeficit[] InstrumentDeficits()
        {
            var symbols = new SortedSet<Symbol>();
            foreach (var cover in covers)
                symbols.Add(cover.Symbol);
            var deficits = new List<InstrumentDeficit>(symbols.Count);
            foreach (var symbol in symbols)
            {
                decimal fund = 0m,
                    deleveraged = 0m,
                    transferred = 0m,
                    socialized = 0m,
                    uncovered = 0m;
                foreach (var cover in covers)
                {
                    if (cover.Symbol != symbol)
                        continue;
                    switch (cover.Kind)
                    {
                        case CoverKind.Fund:
                            fund += cover.Amount;
                            break;
                        case CoverKind.Deleveraged:
                            deleveraged += cover.Amount;
                            transferred += cover.Quantity;
                            break;
                        case CoverKind.Socialized:
                            socialized += cover.Amount;
                            break;
                        case CoverKind.Uncovered:
                            uncovered += cover.Amount;
                            break;
                        default:
                            throw new UnreachableException($"a cover of kind {cover.Kind}");
                    }
                }
                deficits.Add(
                    new InstrumentDeficit(
                        symbol,
                        fund + deleveraged + socialized + uncovered,
                        fund,
                        transferred,
                        deleveraged,
                        socialized,
                        uncovered
                    )
                );
            }
            return [.. deficits];
        }

        private decimal Sum(CoverKind kind)
        {
            var sum = 0m;
            foreach (var c in covers)
                if (c.Kind == kind)
                    sum += c.Amount;
            return sum;
        }
    }
}
