namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// The ledger invariants of design §5 that a fold can check: conservation per asset (Σ account
/// balances + insurance fund + fee account = deposits − withdrawals + realised PnL, exactly), no
/// negative balance of a non-settlement asset, no negative insurance fund.
/// </summary>
public static class Invariants
{
    /// <summary>Every broken invariant, in words; empty when all hold. Recomputes every balance sum from the accounts
    /// (one pass over them), independently of the fold's running totals that <see cref="Guard"/> uses.</summary>
    public static IReadOnlyList<string> Violations(LedgerState state)
    {
        var held = new Dictionary<Asset, decimal>();
        var negative = new Dictionary<Asset, List<(AccountId Account, decimal Balance)>>();
        foreach (var account in state.Accounts.Values)
            foreach (var (asset, balance) in account.Balances)
            {
                held[asset] = held.GetValueOrDefault(asset) + balance;
                if (balance < 0m && asset != Venue.SettlementAsset)
                {
                    if (!negative.TryGetValue(asset, out var list))
                        negative[asset] = list = [];
                    list.Add((account.Id, balance));
                }
            }
        var problems = new List<string>();
        var assets = state
            .Flows.Deposits.Keys.Concat(state.InsuranceFund.Keys)
            .Concat(state.FeeAccount.Keys)
            .Concat(held.Keys)
            .Distinct()
            .Order();
        foreach (var asset in assets)
        {
            var total =
                held.GetValueOrDefault(asset)
                + state.InsuranceFund.GetValueOrDefault(asset)
                + state.FeeAccount.GetValueOrDefault(asset);
            var flowed =
                state.Flows.Deposits.GetValueOrDefault(asset)
                - state.Flows.Withdrawals.GetValueOrDefault(asset)
                + state.Flows.RealizedPnl.GetValueOrDefault(asset);
            if (total != flowed)
                problems.Add(
                    $"conservation of {asset}: balances hold {total}, deposits − withdrawals + realised PnL = {flowed}"
                );
            if (state.InsuranceFund.GetValueOrDefault(asset) < 0m)
                problems.Add($"insurance fund holds {state.InsuranceFund[asset]} {asset}");
            // accounts in id order, as the map holds them
            foreach (var (account, balance) in negative.GetValueOrDefault(asset) ?? [])
                problems.Add($"{account} holds {balance} {asset}, a non-settlement asset");
        }
        return problems;
    }

    /// <summary>
    /// The check made on decided events before they are appended (design §4, §5), on the state they lead to:
    /// conservation per asset from the fold's running totals, a fund ≥ 0 in every asset, and no negative
    /// non-settlement balance on an account the events touched. Every event's journal postings balance by
    /// construction (<see cref="Projections.Journal"/>), so the trial balance is zero whenever conservation holds.
    /// </summary>
    public static IReadOnlyList<string> Guard(LedgerState after, IEnumerable<Emitted> events)
    {
        var problems = new List<string>();
        // every asset any of them names, once, in order (a handful: this runs before every append)
        var assets = new List<Asset>(
            after.Flows.Deposits.Count + after.InsuranceFund.Count + after.FeeAccount.Count + after.Held.Count
        );
        assets.AddRange(after.Flows.Deposits.Keys);
        assets.AddRange(after.InsuranceFund.Keys);
        assets.AddRange(after.FeeAccount.Keys);
        assets.AddRange(after.Held.Keys);
        assets.Sort();
        for (var i = 0; i < assets.Count; i++)
        {
            var asset = assets[i];
            if (i > 0 && asset == assets[i - 1])
                continue;
            var held =
                after.Held.GetValueOrDefault(asset)
                + after.InsuranceFund.GetValueOrDefault(asset)
                + after.FeeAccount.GetValueOrDefault(asset);
            var flowed =
                after.Flows.Deposits.GetValueOrDefault(asset)
                - after.Flows.Withdrawals.GetValueOrDefault(asset)
                + after.Flows.RealizedPnl.GetValueOrDefault(asset);
            if (held != flowed)
                problems.Add(
                    $"conservation of {asset}: balances would hold {held}, deposits − withdrawals + realised PnL = "
                        + $"{flowed}"
                );
            if (after.InsuranceFund.GetValueOrDefault(asset) < 0m)
                problems.Add($"the insurance fund would hold {after.InsuranceFund[asset]} {asset}");
        }
        foreach (var id in Streams.AccountsOf(events))
        {
            var account = after.Account(id);
            foreach (var (asset, balance) in account.Balances)
                if (asset != Venue.SettlementAsset && balance < 0m)
                    problems.Add($"{account.Id} would hold {balance} {asset}, a non-settlement asset");
        }
        return problems;
    }
}
