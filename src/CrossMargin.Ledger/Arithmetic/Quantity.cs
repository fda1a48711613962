using System.Globalization;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Arithmetic;

/// <summary>
/// A size in base units: a whole number of an instrument's quantity step, which has at most <see cref="Scale"/>
/// places (a listing is refused otherwise), so a quantity has at most that many too. An order's quantity is checked
/// by <see cref="OnStep"/> (positive, on the step); a quantity the liquidation engine derives (what a cap or the fund
/// allows, what brings a notional under a bracket) is rounded to the step by <see cref="Floor"/> or
/// <see cref="Ceiling"/>, the direction named where it is used (zero or less when the figure rounded is; the engine
/// bounds it). Converts to <see cref="decimal"/> freely.
/// </summary>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    /// <summary>Decimal places of the finest step: 8.</summary>
    public const int Scale = 8;

    private readonly decimal value;

    private Quantity(decimal value) => this.value = value;

    /// <summary>The quantity.</summary>
    public decimal Value => value;

    /// <summary>
    /// <paramref name="quantity"/> when it is positive and a whole number of <paramref name="step"/>s, else why not;
    /// <paramref name="field"/> names the input in the message.
    /// </summary>
    public static Checked<Quantity> OnStep(decimal quantity, decimal step, string field = "quantity") =>
        quantity <= 0m ? Checked.Invalid<Quantity>(Problem($"{field} {quantity} must be positive"))
        : !IsOnStep(quantity, step)
            ? Checked.Invalid<Quantity>(Problem($"{field} {quantity} is not a multiple of the step {step}"))
        : Checked.Valid(new Quantity(quantity));

    /// <summary>Whether <paramref name="quantity"/> is a whole number of <paramref name="step"/>s.</summary>
    public static bool IsOnStep(decimal quantity, decimal step) => quantity % step == 0m;

    /// <summary>The largest whole number of steps not above <paramref name="raw"/> (a quotient to 18 places first).
    /// </summary>
    public static Quantity Floor(decimal raw, decimal step) => new(Math.Floor(Rounding.Divide(raw, step)) * step);

    /// <summary>The smallest whole number of steps not below <paramref name="raw"/>.</summary>
    public static Quantity Ceiling(decimal raw, decimal step) => new(Math.Ceiling(Rounding.Divide(raw, step)) * step);

    /// <summary>The quantity as the decimal events carry.</summary>
    public static implicit operator decimal(Quantity quantity) => quantity.value;

    /// <inheritdoc />
    public bool Equals(Quantity other) => value == other.value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Quantity other) => value.CompareTo(other.value);

    /// <summary>Compares quantities.</summary>
    public static bool operator ==(Quantity left, Quantity right) => left.value == right.value;

    /// <summary>Compares quantities.</summary>
    public static bool operator !=(Quantity left, Quantity right) => left.value != right.value;

    /// <summary>Compares quantities.</summary>
    public static bool operator <(Quantity left, Quantity right) => left.value < right.value;

    /// <summary>Compares quantities.</summary>
    public static bool operator <=(Quantity left, Quantity right) => left.value <= right.value;

    /// <summary>Compares quantities.</summary>
    public static bool operator >(Quantity left, Quantity right) => left.value > right.value;

    /// <summary>Compares quantities.</summary>
    public static bool operator >=(Quantity left, Quantity right) => left.value >= right.value;

    /// <inheritdoc />
    public override string ToString() => value.ToString(CultureInfo.InvariantCulture);

    private static string Problem(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A listed rate: a fee rate, a maintenance rate, a collateral ratio, the liquidation slippage or buffer. Never
/// negative, with at most <see cref="Scale"/> decimal places, finer than any venue publishes (10⁻⁴ of a basis
/// point): finer input is refused rather than carried into every fee, margin and fill price it scales. The range
/// each one must lie in is its own rule, checked where it is listed (after every older rule, so recorded
/// rejections keep their words); a log that recorded a finer rate still replays. Converts to <see cref="decimal"/>
/// freely.
/// </summary>
public readonly struct Rate : IEquatable<Rate>, IComparable<Rate>
{
    /// <summary>Decimal places a rate may carry: 8.</summary>
    public const int Scale = 8;

    private readonly decimal value;

    private Rate(decimal value) => this.value = value;

    /// <summary>The rate (0.0004 = 4 basis points).</summary>
    public decimal Value => value;

    /// <summary><paramref name="rate"/> when it is not negative and has at most <see cref="Scale"/> places, else why
    /// not; <paramref name="field"/> names the input in the message.</summary>
    public static Checked<Rate> Exact(decimal rate, string field = "rate") =>
        rate < 0m ? Checked.Invalid<Rate>(Problem($"{field} {rate} must not be negative"))
        : !IsOnScale(rate)
            ? Checked.Invalid<Rate>(Problem($"{field} must have at most {Scale} decimal places, not {rate}"))
        : Checked.Valid(new Rate(rate));

    /// <summary>Whether <paramref name="rate"/> has at most <see cref="Scale"/> decimal places.</summary>
    public static bool IsOnScale(decimal rate) => Rounding.HasAtMostPlaces(rate, Scale);

    /// <summary>The rate as the decimal events carry.</summary>
    public static implicit operator decimal(Rate rate) => rate.value;

    /// <inheritdoc />
    public bool Equals(Rate other) => value == other.value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Rate other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Rate other) => value.CompareTo(other.value);

    /// <summary>Compares rates.</summary>
    public static bool operator ==(Rate left, Rate right) => left.value == right.value;

    /// <summary>Compares rates.</summary>
    public static bool operator !=(Rate left, Rate right) => left.value != right.value;

    /// <summary>Compares rates.</summary>
    public static bool operator <(Rate left, Rate right) => left.value < right.value;

    /// <summary>Compares rates.</summary>
    public static bool operator <=(Rate left, Rate right) => left.value <= right.value;

    /// <summary>Compares rates.</summary>
    public static bool operator >(Rate left, Rate right) => left.value > right.value;

    /// <summary>Compares rates.</summary>
    public static bool operator >=(Rate left, Rate right) => left.value >= right.value;

    /// <inheritdoc />
    public override string ToString() => value.ToString(CultureInfo.InvariantCulture);

    private static string Problem(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
