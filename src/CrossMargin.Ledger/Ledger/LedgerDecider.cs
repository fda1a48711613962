using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// <c>Decide(command, state) → events | rejection</c> for every command, without the liquidation engine's
/// reactions or the invariant guard: <see cref="LedgerRuntime.Run"/> adds those and is what the application runs.
/// </summary>
public static class LedgerDecider
{
    /// <summary>Routes a command to its decider.</summary>
    public static Decision Decide(LedgerCommand command, LedgerState state) =>
        command switch
        {
            ListInstrument c => MarketDecider.Decide(
                c,
                state.Market,
                symbol => state.HoldersOf(symbol).Max(a => (decimal?)Math.Abs(state.Account(a).Size(symbol))) ?? 0m
            ),
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
            LiquidateAccount c => LiquidationDecider.Decide(c, state).Decision,
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "no decider for this command"),
        };
}
