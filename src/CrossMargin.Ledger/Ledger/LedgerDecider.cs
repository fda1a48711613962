using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Ledger;

/// <summary><c>Decide(command, state) → events | rejection</c> for every command: one switch the compiler checks.</summary>
public static class LedgerDecider
{
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
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "no decider for this command"),
    };
}
