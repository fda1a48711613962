using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Parameters;

/// <summary>
/// The magnitudes an instrument accepts (listing data). Marks and order prices stay in
/// <c>(0, MaxPrice]</c> with at most <see cref="PricePrecision"/> places; a position holds at most
/// <see cref="MaxQuantity"/> base units and <see cref="MaxPositionNotional"/> of notional at its fill price;
/// a fill lies within <see cref="PriceBand"/> of the mark (0.1: at most 10 % away).
/// <see cref="Envelope"/> bounds <c>MaxQuantity × MaxPrice</c>, which keeps every product of the margin,
/// liquidation and ADL arithmetic far inside <see cref="decimal"/> (docs/cli.md "Limits", design §3a).
/// </summary>
/// <param name="PricePrecision">decimal places a mark may carry, 0 to 8.</param>
/// <param name="MaxPrice">highest mark or order price.</param>
/// <param name="MaxQuantity">largest absolute position size, in base units.</param>
/// <param name="MaxPositionNotional">largest position notional at the fill price, in the settlement asset.</param>
/// <param name="PriceBand">a fill's largest distance from the mark, as a fraction of the mark, in (0, 1).</param>
public sealed record InstrumentLimits(
    int PricePrecision,
    decimal MaxPrice,
    decimal MaxQuantity,
    decimal MaxPositionNotional,
    decimal PriceBand
)
{
    /// <summary>The largest <c>MaxQuantity × MaxPrice</c> (and <c>MaxBalance × MaxPrice</c> of collateral): 10¹² of the
    /// settlement asset.</summary>
    public const decimal Envelope = 1_000_000_000_000m;

    /// <summary>The band a listing gets when it names none: 10 % either side of the mark.</summary>
    public const decimal DefaultPriceBand = 0.1m;

    /// <summary>
    /// The limits of a listing that names none (and of every instrument listed before limits existed):
    /// 8 places, prices up to 10⁹ ticks but at most 10⁹, as many base units as the envelope allows at that
    /// price (to the step), a tenth of the envelope in notional and a 10 % band.
    /// </summary>
    public static InstrumentLimits Default(decimal tickSize, decimal quantityStep)
    {
        var maxPrice = Normal(Math.Min(tickSize * 1_000_000_000m, 1_000_000_000m));
        return new(Price.Scale, maxPrice, MaxQuantityAt(maxPrice, quantityStep), Envelope / 10m, DefaultPriceBand);
    }

    /// <summary>The most base units the envelope allows at <paramref name="maxPrice"/>, down to a multiple of <paramref
    /// name="quantityStep"/>.</summary>
    public static decimal MaxQuantityAt(decimal maxPrice, decimal quantityStep) =>
        quantityStep <= 0m
            ? decimal.Floor(Envelope / maxPrice)
            : Normal(decimal.Floor(Envelope / maxPrice / quantityStep) * quantityStep);

    /// <summary>The same value without trailing zeros (10⁸, not 100000000.0).</summary>
    private static decimal Normal(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>The problem with these limits for an instrument with <paramref name="tickSize"/> and <paramref
    /// name="quantityStep"/>, or null.</summary>
    public string? Check(decimal tickSize, decimal quantityStep)
    {
        if (PricePrecision is < 0 or > Price.Scale)
            return $"limits.pricePrecision must be 0 to {Price.Scale}, not {PricePrecision}";
        if (!Rounding.HasAtMostPlaces(tickSize, PricePrecision))
            return $"tickSize {tickSize} has more places than limits.pricePrecision {PricePrecision}";
        if (MaxPrice <= 0m || !Rounding.HasAtMostPlaces(MaxPrice, PricePrecision))
            return $"limits.maxPrice must be positive with at most {PricePrecision} places, not {MaxPrice}";
        if (MaxQuantity <= 0m || MaxQuantity % quantityStep != 0m)
            return $"limits.maxQuantity must be a positive multiple of the quantity step {quantityStep}, not "
                + $"{MaxQuantity}";
        if (MaxQuantity * MaxPrice > Envelope)
            return $"limits.maxQuantity × limits.maxPrice is {MaxQuantity * MaxPrice}, above the envelope "
                + $"{Envelope} that keeps the arithmetic exact";
        if (MaxPositionNotional <= 0m || !Money.IsWhole(MaxPositionNotional))
            return $"limits.maxPositionNotional must be positive with at most {Money.Scale} places, not "
                + $"{MaxPositionNotional}";
        if (PriceBand is <= 0m or >= 1m)
            return $"limits.priceBand must be in (0, 1), not {PriceBand}";
        return null;
    }

    /// <summary>Whether <paramref name="price"/> has no more places than <see cref="PricePrecision"/>.</summary>
    public bool IsOnPrecision(decimal price) => Price.IsOnPrecision(price, PricePrecision);
}

/// <summary>
/// The magnitudes a collateral asset accepts (listing data): amounts with at most <see cref="Precision"/>
/// places, index prices up to <see cref="MaxPrice"/>, deposits up to a balance of <see cref="MaxBalance"/>.
/// The settlement asset is not listed; its limits are <see cref="Settlement"/>.
/// </summary>
/// <param name="Precision">decimal places of an amount, 0 to 8.</param>
/// <param name="MaxPrice">highest index price (ignored for the settlement asset, whose price is 1).</param>
/// <param name="MaxBalance">largest balance a deposit may reach.</param>
public sealed record AssetLimits(int Precision, decimal MaxPrice, decimal MaxBalance)
{
    /// <summary>The settlement asset: 8 places (a satoshi of USDT), balances up to 10¹².</summary>
    public static readonly AssetLimits Settlement = new(Money.Scale, 1m, InstrumentLimits.Envelope);

    /// <summary>A collateral listing that names none (and every asset listed before limits existed): 8 places, prices
    /// up to 10⁷, balances up to 10⁵.</summary>
    public static readonly AssetLimits DefaultCollateral = new(Money.Scale, 10_000_000m, 100_000m);

    /// <summary>The problem with these limits, or null.</summary>
    public string? Check()
    {
        if (Precision is < 0 or > Money.Scale)
            return $"limits.precision must be 0 to {Money.Scale}, not {Precision}";
        if (MaxPrice <= 0m || !Price.IsOnPrecision(MaxPrice))
            return $"limits.maxPrice must be positive with at most {Price.Scale} places, not {MaxPrice}";
        if (MaxBalance <= 0m || !Rounding.HasAtMostPlaces(MaxBalance, Precision))
            return $"limits.maxBalance must be positive with at most {Precision} places, not {MaxBalance}";
        if (MaxBalance * MaxPrice > InstrumentLimits.Envelope)
            return $"limits.maxBalance × limits.maxPrice is {MaxBalance * MaxPrice}, above the envelope "
                + $"{InstrumentLimits.Envelope} that keeps the arithmetic exact";
        return null;
    }

    /// <summary>Whether <paramref name="amount"/> has no more places than <see cref="Precision"/>.</summary>
    public bool IsOnPrecision(decimal amount) => Money.Exact(amount, Precision).IsValid;
}

/// <summary>
/// Limits as a listing command names them: any field may be left out. A new listing fills the gaps from
/// <see cref="InstrumentLimits.Default"/>, a change from the instrument's current limits; a new
/// <c>MaxPrice</c> without a <c>MaxQuantity</c> keeps the quantity when it still fits the envelope, else
/// takes the most the envelope allows.
/// </summary>
public sealed record InstrumentLimitsInput(
    int? PricePrecision = null,
    decimal? MaxPrice = null,
    decimal? MaxQuantity = null,
    decimal? MaxPositionNotional = null,
    decimal? PriceBand = null
)
{
    /// <summary>A complete set of limits names every field.</summary>
    public static implicit operator InstrumentLimitsInput(InstrumentLimits limits) => FromLimits(limits);

    /// <summary>A complete set of limits names every field.</summary>
    public static InstrumentLimitsInput FromLimits(InstrumentLimits limits) =>
        new(limits.PricePrecision, limits.MaxPrice, limits.MaxQuantity, limits.MaxPositionNotional, limits.PriceBand);

    /// <summary>
    /// The problem with a named maximum price, checked before anything is derived from it (a price of 10⁻²⁰ would
    /// overflow the envelope's quotient), or null.
    /// </summary>
    internal static string? NamedPriceError(decimal? named) =>
        named is { } price && (price <= 0m || !Price.IsOnPrecision(price))
            ? $"limits.maxPrice must be positive with at most {Price.Scale} places, not {price}"
            : null;

    /// <summary>The named fields over <paramref name="baseline"/>; the problem with a named field, or null.</summary>
    public Checked<InstrumentLimits> Over(InstrumentLimits baseline, bool relisting, decimal quantityStep)
    {
        if (NamedPriceError(MaxPrice) is { } error)
            return Checked.Invalid<InstrumentLimits>(error);
        var maxPrice = MaxPrice ?? baseline.MaxPrice;
        var keepsQuantity =
            MaxPrice is null || (relisting && baseline.MaxQuantity * maxPrice <= InstrumentLimits.Envelope);
        return Checked.Valid<InstrumentLimits>(
            new InstrumentLimits(
                PricePrecision ?? baseline.PricePrecision,
                maxPrice,
                MaxQuantity
                    ?? (keepsQuantity ? baseline.MaxQuantity : InstrumentLimits.MaxQuantityAt(maxPrice, quantityStep)),
                MaxPositionNotional ?? baseline.MaxPositionNotional,
                PriceBand ?? baseline.PriceBand
            )
        );
    }
}

/// <summary>A collateral asset's limits as a listing command names them: fields left out take <see
/// cref="AssetLimits.DefaultCollateral"/>'s (a new <c>MaxPrice</c> alone takes the most balance the envelope
/// allows).</summary>
public sealed record AssetLimitsInput(int? Precision = null, decimal? MaxPrice = null, decimal? MaxBalance = null)
{
    /// <summary>A complete set of limits names every field.</summary>
    public static implicit operator AssetLimitsInput(AssetLimits limits) => FromLimits(limits);

    /// <summary>A complete set of limits names every field.</summary>
    public static AssetLimitsInput FromLimits(AssetLimits limits) =>
        new(limits.Precision, limits.MaxPrice, limits.MaxBalance);

    /// <summary>The named fields over the defaults; the problem with a named field, or null.</summary>
    public Checked<AssetLimits> OverDefaults()
    {
        if (InstrumentLimitsInput.NamedPriceError(MaxPrice) is { } error)
            return Checked.Invalid<AssetLimits>(error);
        var defaults = AssetLimits.DefaultCollateral;
        return Checked.Valid<AssetLimits>(
            new AssetLimits(
                Precision ?? defaults.Precision,
                MaxPrice ?? defaults.MaxPrice,
                MaxBalance
                    ?? (MaxPrice is { } price ? decimal.Floor(InstrumentLimits.Envelope / price) : defaults.MaxBalance)
            )
        );
    }
}
