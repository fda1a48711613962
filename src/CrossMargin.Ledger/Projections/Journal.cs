using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Projections;

/// <summary>
/// One journal line: <see cref="Amount"/> of <see cref="Asset"/> posted to a ledger account (positive:
/// the account's balance grows). Ledger accounts: <c>account:{id}</c>, <c>insurance-fund</c>,
/// <c>fee-account</c>, and the outside world <c>external:deposits</c>, <c>external:withdrawals</c>,
/// <c>market:realized-pnl</c>, <c>market:collateral-sales</c>.
/// </summary>
public sealed record Posting(long GlobalPosition, string EventType, string LedgerAccount, string Asset, decimal Amount);

/// <summary>
/// Double entry (design §5): the balanced postings of each event. Every event's postings sum to zero per
/// asset, so the trial balance is zero at every global position; an event that moves no money posts nothing.
/// </summary>
public static class Journal
{
    /// <summary>The ledger account of a trading account.</summary>
    public static string AccountOf(AccountId id) => "account:" + id.Value;

    /// <summary>The postings of one event.</summary>
    public static IReadOnlyList<Posting> Postings(LoggedEvent logged)
    {
        var lines = new List<Posting>();
        var type = WireNames.Of(logged.Event);
        void Post(string from, string to, Asset asset, decimal amount)
        {
            if (amount == 0m)
                return;
            lines.Add(new Posting(logged.GlobalPosition, type, from, asset.Value, -amount));
            lines.Add(new Posting(logged.GlobalPosition, type, to, asset.Value, amount));
        }
        switch (logged.Event)
        {
            case FundsDeposited e:
                Post("external:deposits", AccountOf(e.Account), e.Asset, e.Amount);
                break;
            case FundsWithdrawn e:
                Post(AccountOf(e.Account), "external:withdrawals", e.Asset, e.Amount);
                break;
            case InsuranceFundDeposited e:
                Post("external:deposits", Streams.InsuranceFund, e.Asset, e.Amount);
                break;
            case TradeFilled e:
                Post("market:realized-pnl", AccountOf(e.Account), e.FeeAsset, e.RealizedPnl);
                Post(AccountOf(e.Account), Streams.FeeAccount, e.FeeAsset, e.Fee);
                break;
            case PositionLiquidated e:
                Post("market:realized-pnl", AccountOf(e.Account), e.Asset, e.RealizedPnl);
                Post(AccountOf(e.Account), Streams.InsuranceFund, e.Asset, e.InsuranceFundDelta);
                break;
            case PositionAutoDeleveraged e:
                Post("market:realized-pnl", AccountOf(e.Account), e.Asset, e.RealizedPnl);
                break;
            case LossSocialized e:
                Post(AccountOf(e.Account), AccountOf(e.LiquidatedAccount), e.Asset, e.Amount);
                break;
            case CollateralSold e:
                Post(AccountOf(e.Account), "market:collateral-sales", e.Asset, e.Quantity);
                Post("market:collateral-sales", AccountOf(e.Account), e.SettlementAsset, e.Proceeds);
                break;
            case DebtCovered e:
                Post(Streams.InsuranceFund, AccountOf(e.Account), e.Asset, e.Amount);
                break;
        }
        return lines;
    }
}
