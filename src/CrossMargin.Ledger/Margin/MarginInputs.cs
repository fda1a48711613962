using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Margin;

/// <summary>
/// What an event changes of the inputs of an account's margin (its balances and positions; marks, index prices,
/// brackets and haircuts): the one table the engine's caches (<see cref="TriggerIndex"/>, <see cref="AdlBook"/>) keep
/// themselves by. Price, parameter and listing events are each cache's own business; every other event type is named
/// here as moving some accounts or moving nothing, and a type named nowhere makes a cache start afresh.
/// </summary>
public static class MarginInputs
{
    /// <summary>The accounts whose balances or positions <paramref name="e"/> moves, or null when it moves
    /// none.</summary>
    public static AccountId[]? AccountsMoved(ILedgerEvent e) =>
        e switch
        {
            FundsDeposited d => [d.Account],
            FundsWithdrawn w => [w.Account],
            TradeFilled f => [f.Account],
            PositionLiquidated l => [l.Account],
            PositionAutoDeleveraged d => [d.Account],
            LossSocialized l => [l.Account, l.LiquidatedAccount],
            CollateralSold s => [s.Account],
            DebtCovered c => [c.Account],
            _ => null,
        };

    /// <summary>Whether <paramref name="e"/> changes no margin input at all: leverage (initial margin only),
    /// liquidation settings and policy, the fee account, the insurance fund, the records of a liquidation.</summary>
    public static bool MovesNothing(ILedgerEvent e) =>
        e
            is LeverageSet
                or InstrumentLiquidationSet
                or LiquidationPolicySet
                or TradingFeeCollected
                or InsuranceFundDeposited
                or InsuranceFundChanged
                or LiquidationTriggered
                or LiquidationCompleted
                or AccountBankrupt;
}
