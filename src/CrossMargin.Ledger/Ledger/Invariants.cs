namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// The ledger invariants of DESIGN §5 that a fold can check: conservation per asset (Σ account
/// balances + insurance fund + fee account = deposits − withdrawals + realised PnL, exactly), no
/// negative balance of a non-settlement asset, no negative insurance fund.
/// </summary>
public static class Invariants
{
    /// <summary>Every broken invariant, in words; empty when all hold.</summary>
    public static IReadOnlyList<string> Violations(LedgerState state)
    {
        var problems = new List<string>();
        var assets = state.Flows.Deposits.Keys.Concat(state.InsuranceFund.Keys).Concat(state.FeeAccount.Keys)
            .Concat(state.Accounts.Values.SelectMany(a => a.Balances.Keys)).Distinct().Order(StringComparer.Ordinal);
        foreach (var asset in assets)
        {
            var held = state.Accounts.Values.Sum(a => a.Balance(asset)) + state.InsuranceFund.GetValueOrDefault(asset) + state.FeeAccount.GetValueOrDefault(asset);
            var flowed = state.Flows.Deposits.GetValueOrDefault(asset) - state.Flows.Withdrawals.GetValueOrDefault(asset) + state.Flows.RealizedPnl.GetValueOrDefault(asset);
            if (held != flowed) problems.Add($"conservation of {asset}: balances hold {held}, deposits − withdrawals + realised PnL = {flowed}");
            if (state.InsuranceFund.GetValueOrDefault(asset) < 0m) problems.Add($"insurance fund holds {state.InsuranceFund[asset]} {asset}");
            if (asset == Venue.SettlementAsset) continue;
            foreach (var account in state.Accounts.Values.Where(a => a.Balance(asset) < 0m))
                problems.Add($"{account.Id} holds {account.Balance(asset)} {asset}, a non-settlement asset");
        }
        return problems;
    }
}
