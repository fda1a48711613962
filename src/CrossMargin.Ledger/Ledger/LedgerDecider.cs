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
    /// <summary>Decides the command, then lets the liquidation engine react to each trigger event it produced.</summary>
    public static Decision DecideAndReact(LedgerCommand command, LedgerState state)
    {
        var decision = Decide(command, state);
        if (decision is not Decision.Accepted accepted || !accepted.Events.Any(e => LiquidationEngine.IsTrigger(e.Event)))
            return decision;
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
        return new Decision.Accepted(events.ToImmutable());
    }

    /// <summary>Routes a command to its decider.</summary>
    public static Decision Decide(LedgerCommand command, LedgerState state) => command switch
    {
        ListInstrument c => MarketDecider.Decide(c, state.Market),
        ListCollateral c => MarketDecider.Decide(c, state.Market),
        UpdatePrice c => MarketDecider.Decide(c, state.Market),
        FundInsurance c => MarketDecider.Decide(c, state.Market),
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
