using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// <c>Decide(command, state) → events | rejection</c> for every command: one switch the compiler checks.
/// <see cref="DecideAndReact"/> is what the application runs: the command's events followed by the
/// liquidation cascade of every price or risk-parameter event among them, appended as one.
/// </summary>
public static class LedgerDecider
{
    /// <summary>
    /// Decides the command, lets the liquidation engine react to each trigger event it produced, and guards
    /// the append: the decided events are folded and the ledger invariants checked on the state they lead to
    /// (<see cref="Invariants.Guard"/>); a violation is a rejection that names the invariant, never a broken log.
    /// An arithmetic overflow (a figure beyond what a <see cref="decimal"/> holds) is a rejection too, so no
    /// input can crash the caller; listing limits are meant to keep every figure far from it.
    /// </summary>
    public static Decision DecideAndReact(LedgerCommand command, LedgerState state)
    {
        try
        {
            var decision = React(command, state, out var after);
            if (decision is not Decision.Accepted accepted) return decision;
            var problems = Invariants.Guard(after, accepted.Events);
            return problems.Count == 0 ? decision : Decision.Reject(RejectionCodes.InvariantViolated,
                $"{CommandName(command)} would break the ledger invariants, so nothing was appended: {string.Join("; ", problems)}");
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            return Decision.Reject(RejectionCodes.ArithmeticLimit,
                $"{CommandName(command)} leads to a figure beyond exact decimal arithmetic ({e.Message}); nothing was appended");
        }
    }

    private static string CommandName(LedgerCommand command) => command.GetType().Name;

    private static Decision React(LedgerCommand command, LedgerState state, out LedgerState after)
    {
        after = state;
        var decision = Decide(command, state);
        if (decision is not Decision.Accepted accepted) return decision;
        if (!accepted.Events.Any(e => LiquidationEngine.IsTrigger(e.Event)))
        {
            foreach (var e in accepted.Events) after = LedgerEvolution.Evolve(after, e.Event);
            return decision;
        }
        var events = ImmutableArray.CreateBuilder<Emitted>();
        foreach (var e in accepted.Events)
        {
            state = LedgerEvolution.Evolve(state, e.Event);
            events.Add(e);
            if (LiquidationEngine.TriggerOf(e.Event, state) is { } trigger)
            {
                var cascade = LiquidationEngine.Cascade(state, trigger);
                events.AddRange(cascade.Events);
                state = cascade.State;
            }
        }
        after = state;
        return new Decision.Accepted(events.ToImmutable());
    }

    /// <summary>Routes a command to its decider.</summary>
    public static Decision Decide(LedgerCommand command, LedgerState state) => command switch
    {
        ListInstrument c => MarketDecider.Decide(c, state.Market, symbol => state.HoldersOf(symbol).Max(a => (decimal?)Math.Abs(state.Account(a).Size(symbol))) ?? 0m),
        ListCollateral c => MarketDecider.Decide(c, state.Market),
        UpdatePrice c => MarketDecider.Decide(c, state.Market),
        FundInsurance c => MarketDecider.Decide(c, state.Market, state.InsuranceFundBalance),
        Deposit c => AccountDecider.Decide(c, state),
        Withdraw c => AccountDecider.Decide(c, state),
        SetLeverage c => AccountDecider.Decide(c, state),
        OpenPosition c => AccountDecider.Decide(c, state),
        ClosePosition c => AccountDecider.Decide(c, state),
        SetLiquidationPolicy c => MarketDecider.Decide(c, state.Market),
        SetInstrumentLiquidation c => MarketDecider.Decide(c, state.Market),
        LiquidateAccount c => LiquidationDecider.Decide(c, state),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "no decider for this command"),
    };
}
