using System.Globalization;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Arithmetic;

/// <summary>
/// An amount as a venue keeps it: a whole number of an asset's smallest unit (<see cref="Scale"/> decimal places;
/// 8 for USDT, as venues quote it). Every amount posted to a balance, the insurance fund or the fee account is one.
/// A raw figure (a product, a quotient) becomes money only through a named rounding, and this is the one place that
/// decides which way it goes, always for solvency:
/// <list type="bullet">
/// <item><see cref="Credit"/>, a signed amount that goes to an account (realised PnL, a payout): toward −∞,
/// so an account never receives more than it is owed and never pays less than it owes.</item>
/// <item><see cref="Debit"/>, an amount an account owes (a fee): toward +∞.</item>
/// <item><see cref="BankruptcyCredit"/>, a liquidated account's slice at its bankruptcy price: toward +∞.</item>
/// </list>
/// Input that claims to be money already (a deposit at its asset's precision, a listing's notional limit) is checked
/// by <see cref="Exact"/>, which refuses what has more places instead of rounding it; the deciders answer such input
/// with their released rejection texts. Sums and differences of money are money,
/// exactly. The same rounding serves margin figures: unrealised PnL and collateral value are credits (rounded down),
/// maintenance and initial margin are debits (rounded up), so a figure never flatters an account. Insurance-fund
/// payouts are capped at the fund, so the fund never goes below zero (see the liquidation decider). Converts to
/// <see cref="decimal"/> freely (events carry decimals, as they always have); nothing converts back without a
/// rounding or a check.
/// </summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>
{
    /// <summary>Decimal places of every amount: 8 (0.00000001, a satoshi; USDT's precision on venues).</summary>
    public const int Scale = 8;

    private readonly decimal amount;

    private Money(decimal amount) => this.amount = amount;

    /// <summary>Nothing.</summary>
    public static Money Zero => default;

    /// <summary>The smallest amount: 10⁻⁸.</summary>
    public static Money Unit { get; } = new(0.00000001m);

    /// <summary>The amount.</summary>
    public decimal Amount => amount;

    /// <summary>A signed amount credited to an account, rounded toward −∞ to <see cref="Scale"/> places.</summary>
    public static Money Credit(decimal raw) => new(Quantise(raw, MidpointRounding.ToNegativeInfinity));

    /// <summary>An amount an account owes, rounded toward +∞ to <see cref="Scale"/> places.</summary>
    public static Money Debit(decimal raw) => new(Quantise(raw, MidpointRounding.ToPositiveInfinity));

    /// <summary>
    /// The realised PnL of a liquidated account's slice transferred at its bankruptcy price (ADL), rounded toward +∞:
    /// the bankruptcy price is where the slice uses up exactly its share of equity, and rounding must not push the
    /// account below zero there (design §4: a slice never leaves the account below zero). The counterparty's side
    /// is an ordinary <see cref="Credit"/>; both are flows against the market, so conservation is exact either way.
    /// </summary>
    public static Money BankruptcyCredit(decimal raw) => new(Quantise(raw, MidpointRounding.ToPositiveInfinity));

    /// <summary>
    /// <paramref name="value"/> as money when it has at most <paramref name="places"/> decimal places (an asset's
    /// listed precision, at most <see cref="Scale"/>), else why not: more places are refused, never rounded away.
    /// <paramref name="field"/> names the input in the message.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="places"/> is not 0 to <see cref="Scale"/>.
    /// </exception>
    public static Checked<Money> Exact(decimal value, int places = Scale, string field = "amount")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(places);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(places, Scale);
        return Rounding.HasAtMostPlaces(value, places)
            ? Checked.Valid(new Money(value))
            : Checked.Invalid<Money>(
                string.Create(CultureInfo.InvariantCulture, $"{field} {value} has more than {places} decimal places")
            );
    }

    /// <summary>Whether <paramref name="value"/> is a whole number of units (no more than <see cref="Scale"/>
    /// places).</summary>
    public static bool IsWhole(decimal value) => Exact(value).IsValid;

    /// <summary>Money as the decimal events carry.</summary>
    public static implicit operator decimal(Money money) => money.amount;

    /// <summary>Exact: both are whole numbers of units.</summary>
    public static Money operator +(Money left, Money right) => new(left.amount + right.amount);

    /// <summary>Exact: both are whole numbers of units.</summary>
    public static Money operator -(Money left, Money right) => new(left.amount - right.amount);

    /// <summary>The opposite amount.</summary>
    public static Money operator -(Money money) => new(-money.amount);

    /// <summary>Compares amounts.</summary>
    public static bool operator ==(Money left, Money right) => left.amount == right.amount;

    /// <summary>Compares amounts.</summary>
    public static bool operator !=(Money left, Money right) => left.amount != right.amount;

    /// <summary>Compares amounts.</summary>
    public static bool operator <(Money left, Money right) => left.amount < right.amount;

    /// <summary>Compares amounts.</summary>
    public static bool operator <=(Money left, Money right) => left.amount <= right.amount;

    /// <summary>Compares amounts.</summary>
    public static bool operator >(Money left, Money right) => left.amount > right.amount;

    /// <summary>Compares amounts.</summary>
    public static bool operator >=(Money left, Money right) => left.amount >= right.amount;

    /// <inheritdoc />
    public bool Equals(Money other) => amount == other.amount;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => amount.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Money other) => amount.CompareTo(other.amount);

    /// <inheritdoc />
    public override string ToString() => amount.ToString(CultureInfo.InvariantCulture);

    private static decimal Quantise(decimal raw, MidpointRounding direction) =>
        Rounding.Normalize(decimal.Round(raw, Scale, direction));
}

/// <summary>
/// A mark, index or derived price: positive, with at most <see cref="Scale"/> decimal places, as venues publish
/// marks (a tick of 0.1 on orders). Input prices are checked by <see cref="Exact"/> at an instrument's precision
/// (more places are refused, never stored raw; the deciders answer with their released rejection texts); a derived
/// price (a sale at a haircut) becomes one through <see cref="FloorOf"/>, never above what it derives from. Converts
/// to <see cref="decimal"/> freely.
/// </summary>
public readonly struct Price : IEquatable<Price>, IComparable<Price>
{
    /// <summary>Decimal places a price may carry.</summary>
    public const int Scale = 8;

    private readonly decimal value;

    private Price(decimal value) => this.value = value;

    /// <summary>The least positive price: 10⁻⁸. Every mark is at least this, so a clamp to it never lifts a price above
    /// the mark.</summary>
    public static Price Unit { get; } = new(0.00000001m);

    /// <summary>The price.</summary>
    public decimal Value => value;

    /// <summary><paramref name="raw"/> rounded down to <see cref="Scale"/> places, or none when that is not positive.
    /// </summary>
    public static Price? FloorOf(decimal raw) =>
        decimal.Round(raw, Scale, MidpointRounding.ToNegativeInfinity) is var floor && floor > 0m
            ? new Price(floor)
            : null;

    /// <summary>
    /// <paramref name="price"/> when it is positive with at most <paramref name="places"/> decimal places (an
    /// instrument's listed price precision, at most <see cref="Scale"/>), else why not. <paramref name="field"/> names
    /// the input in the message.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="places"/> is not 0 to <see cref="Scale"/>.
    /// </exception>
    public static Checked<Price> Exact(decimal price, int places = Scale, string field = "price")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(places);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(places, Scale);
        return price <= 0m ? Checked.Invalid<Price>(Problem(field, price, "must be positive"))
            : !IsOnPrecision(price, places)
                ? Checked.Invalid<Price>(Problem(field, price, $"has more than {places} decimal places"))
            : Checked.Valid(new Price(price));
    }

    /// <summary>Whether <paramref name="price"/> carries no more than <paramref name="places"/> decimal places (zero
    /// and negative prices are refused by their own rules).</summary>
    public static bool IsOnPrecision(decimal price, int places = Scale) => Rounding.HasAtMostPlaces(price, places);

    /// <summary>The price as the decimal events carry.</summary>
    public static implicit operator decimal(Price price) => price.value;

    /// <inheritdoc />
    public bool Equals(Price other) => value == other.value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Price other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Price other) => value.CompareTo(other.value);

    /// <summary>Compares prices.</summary>
    public static bool operator ==(Price left, Price right) => left.value == right.value;

    /// <summary>Compares prices.</summary>
    public static bool operator !=(Price left, Price right) => left.value != right.value;

    /// <summary>Compares prices.</summary>
    public static bool operator <(Price left, Price right) => left.value < right.value;

    /// <summary>Compares prices.</summary>
    public static bool operator <=(Price left, Price right) => left.value <= right.value;

    /// <summary>Compares prices.</summary>
    public static bool operator >(Price left, Price right) => left.value > right.value;

    /// <summary>Compares prices.</summary>
    public static bool operator >=(Price left, Price right) => left.value >= right.value;

    /// <inheritdoc />
    public override string ToString() => value.ToString(CultureInfo.InvariantCulture);

    private static string Problem(string field, decimal price, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"{field} {price} {rule}");
}
