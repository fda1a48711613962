namespace CrossMargin.Ledger.Commands;

/// <summary>
/// An expected business outcome that appends nothing: a stable <see cref="Code"/> other tools may
/// match on, and a <see cref="Message"/> for people that names the value and the rule.
/// </summary>
public sealed record Rejection(string Code, string Message);

/// <summary>The rejection codes; stable, part of the CLI contract.</summary>
public static class RejectionCodes
{
#pragma warning disable CS1591 // each name is its own documentation; docs/cli.md lists them with their rules
    public const string InvalidArgument = "InvalidArgument";
    public const string InvalidParameters = "InvalidParameters";
    public const string UnknownInstrument = "UnknownInstrument";
    public const string UnknownAsset = "UnknownAsset";
    public const string ListingMismatch = "ListingMismatch";
    public const string InsufficientBalance = "InsufficientBalance";
    public const string InsufficientFreeCollateral = "InsufficientFreeCollateral";
    public const string LeverageAboveTierMaximum = "LeverageAboveTierMaximum";
    public const string QuantityNotOnStep = "QuantityNotOnStep";
    public const string PriceNotOnTick = "PriceNotOnTick";
    public const string NoMarkPrice = "NoMarkPrice";
    public const string NoPosition = "NoPosition";
    public const string QuantityExceedsPosition = "QuantityExceedsPosition";
    public const string AmountNotOnPrecision = "AmountNotOnPrecision";
    public const string PriceNotOnPrecision = "PriceNotOnPrecision";
    public const string InsuranceFundSettlementOnly = "InsuranceFundSettlementOnly";
    public const string InvariantViolated = "InvariantViolated";
    public const string ArithmeticLimit = "ArithmeticLimit";
    public const string PriceAboveLimit = "PriceAboveLimit";
    public const string PositionAboveLimit = "PositionAboveLimit";
    public const string BalanceAboveLimit = "BalanceAboveLimit";
    public const string PriceOutsideBand = "PriceOutsideBand";
#pragma warning restore CS1591
}
