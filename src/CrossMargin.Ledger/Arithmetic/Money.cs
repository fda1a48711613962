namespace CrossMargin.Ledger.Arithmetic;

/// <summary>
/// Money as a venue keeps it: every amount posted to a balance, the insurance fund or the fee account is
/// a whole number of an asset's smallest unit (<see cref="Scale"/> decimal places; 8 for USDT, as venues
/// quote it). This is the one place that decides which way an amount rounds, always for solvency:
/// <list type="bullet">
/// <item><see cref="Credit"/>, a signed amount that goes to an account (realised PnL, a payout): toward −∞,
/// so an account never receives more than it is owed and never pays less than it owes.</item>
/// <item><see cref="Debit"/>, an amount an account owes (a fee): toward +∞.</item>
/// <item><see cref="BankruptcyCredit"/>, a liquidated account's slice at its bankruptcy price: toward +∞.</item>
/// </list>
/// The same rounding serves margin figures: unrealised PnL and collateral value are credits (rounded
/// down), maintenance and initial margin are debits (rounded up), so a figure never flatters an account.
/// Insurance-fund payouts are capped at the fund, so the fund never goes below zero (see the liquidation decider).
/// </summary>
public static class Money
{
    /// <summary>Decimal places of every asset: 8 (0.00000001, a satoshi; USDT's precision on venues).</summary>
    public const int Scale = 8;

    /// <summary>The smallest amount: 10⁻⁸.</summary>
    public const decimal Unit = 0.00000001m;

    /// <summary>A signed amount credited to an account, rounded toward −∞ to <see cref="Scale"/> places.</summary>
    public static decimal Credit(decimal amount) => Quantise(amount, MidpointRounding.ToNegativeInfinity);

    /// <summary>An amount an account owes, rounded toward +∞ to <see cref="Scale"/> places.</summary>
    public static decimal Debit(decimal amount) => Quantise(amount, MidpointRounding.ToPositiveInfinity);

    /// <summary>
    /// The realised PnL of a liquidated account's slice transferred at its bankruptcy price (ADL), rounded toward +∞:
    /// the bankruptcy price is where the slice uses up exactly its share of equity, and rounding must not push the
    /// account below zero there (design §4: a slice never leaves the account below zero). The counterparty's side
    /// is an ordinary <see cref="Credit"/>; both are flows against the market, so conservation is exact either way.
    /// </summary>
    public static decimal BankruptcyCredit(decimal amount) => Quantise(amount, MidpointRounding.ToPositiveInfinity);

    /// <summary>Whether <paramref name="amount"/> is a whole number of units (no more than <see cref="Scale"/>
    /// places).</summary>
    public static bool IsWhole(decimal amount) => decimal.Round(amount, Scale) == amount;

    private static decimal Quantise(decimal amount, MidpointRounding direction) =>
        Rounding.Normalize(decimal.Round(amount, Scale, direction));
}

/// <summary>The precision of marks and index prices: 8 decimal places, as venues publish marks (a tick of 0.1 on
/// orders).</summary>
public static class Prices
{
    /// <summary>Decimal places a mark or index price may carry; more is refused, never stored raw.</summary>
    public const int Scale = 8;

    /// <summary>The least positive price: 10⁻⁸. Every mark is at least this, so a clamp to it never lifts a price above
    /// the mark.</summary>
    public const decimal Unit = 0.00000001m;

    /// <summary>A derived price (a sale at a haircut) rounded down to <see cref="Scale"/> places: never above what it
    /// derives from.</summary>
    public static decimal Floor(decimal price) => decimal.Round(price, Scale, MidpointRounding.ToNegativeInfinity);

    /// <summary>Whether <paramref name="price"/> carries no more than <see cref="Scale"/> decimal places.</summary>
    public static bool IsOnPrecision(decimal price) => decimal.Round(price, Scale) == price;
}
