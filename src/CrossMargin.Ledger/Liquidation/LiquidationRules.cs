namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// The version of the liquidation rules this build decides with. Every event that can trigger
/// liquidations (a mark, an index price, a parameter change) records the version that reacted to it, so
/// re-execution re-derives a liquidation under the rules it was decided with, and says which it cannot.
/// <list type="bullet">
/// <item>1: the rules before money was quantised (events written before <c>.v2</c> price events existed):
/// amounts carried up to 28 places, payouts could exceed the fund, ADL could fill at prices ≤ 0.</item>
/// <item>2: money in whole units of 10⁻⁸ rounded for solvency, payouts capped at the fund, bankruptcy and
/// fill prices clamped to 10⁻⁸, deficits kept per instrument, ADL capped at a counterparty's equity, the
/// socialised charge capped at a winner's profit per price event, a step-down that cannot restore health
/// goes straight to the close, flat accounts with negative equity are liquidated.</item>
/// </list>
/// </summary>
public static class LiquidationRules
{
    /// <summary>The rules this build executes.</summary>
    public const int Current = 2;

    /// <summary>The version every event recorded before versions existed is read with.</summary>
    public const int Unversioned = 1;
}
