using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Accounts;

/// <summary>
/// What a fill does to a position. Adding to a position (or opening one) averages the entry price,
/// <c>e' = (|q|·e + |Δ|·p) / (|q| + |Δ|)</c>; reducing realises <c>min(|Δ|, |q|) × (p − e) × sign(q)</c> and
/// keeps e; a fill larger than the position closes it and opens the rest the other way at p (a flip).
/// The fee is <c>|Δ| × p × takerFeeRate</c> on the whole fill. Money is quantised by <see cref="Money"/>:
/// realised PnL is a credit (rounded toward −∞), the fee a debit (rounded toward +∞).
/// </summary>
public static class Fill
{
    /// <summary>The <see cref="TradeFilled"/> event for a fill of <paramref name="quantity"/> (&gt; 0).</summary>
    public static TradeFilled Of(
        AccountId account,
        Symbol symbol,
        Position? before,
        Side side,
        decimal quantity,
        decimal price,
        decimal takerFeeRate
    )
    {
        var q = before?.Size ?? 0m;
        var e = before?.EntryPrice ?? 0m;
        var delta = side == Side.Long ? quantity : -quantity;
        decimal sizeAfter = q + delta,
            entryAfter,
            realized = 0m;
        FillEffect effect;
        if (q == 0m || Math.Sign(q) == Math.Sign(delta))
        {
            entryAfter = Rounding.Divide(Math.Abs(q) * e + quantity * price, Math.Abs(q) + quantity);
            effect = q == 0m ? FillEffect.Open : FillEffect.Increase;
        }
        else
        {
            var closed = Math.Min(quantity, Math.Abs(q));
            realized = Money.Credit(closed * (price - e) * Math.Sign(q));
            (entryAfter, effect) =
                sizeAfter == 0m ? (0m, FillEffect.Close)
                : Math.Sign(sizeAfter) == Math.Sign(q) ? (e, FillEffect.Reduce)
                : (price, FillEffect.Flip);
        }
        var fee = Money.Debit(quantity * price * takerFeeRate);
        return new TradeFilled(
            Account: account,
            Symbol: symbol,
            Side: side,
            Quantity: quantity,
            Price: price,
            Effect: effect,
            SizeBefore: q,
            EntryPriceBefore: e,
            SizeAfter: sizeAfter,
            EntryPriceAfter: Rounding.Normalize(entryAfter),
            RealizedPnl: realized,
            Fee: fee,
            FeeAsset: Venue.SettlementAsset
        );
    }

    /// <summary>Whether the fill adds exposure (open, increase, flip): those must pass the pre-trade checks.</summary>
    public static bool AddsExposure(TradeFilled fill) =>
        fill.Effect is FillEffect.Open or FillEffect.Increase or FillEffect.Flip;
}
