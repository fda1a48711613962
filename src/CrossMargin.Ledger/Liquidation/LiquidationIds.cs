using System.Globalization;
using CrossMargin.Ledger.Accounts;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>Liquidation ids: <c>{account}#{n}</c>, the account's n-th liquidation — stable, derived from the
/// fold.</summary>
public static class LiquidationIds
{
    /// <summary>The id the account's next liquidation gets.</summary>
    public static string Next(AccountState account) =>
        account.Id + "#" + (account.Liquidations + 1).ToString(CultureInfo.InvariantCulture);
}
