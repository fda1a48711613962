using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Commands;

/// <summary>
/// An expected business outcome that appends nothing: a stable <see cref="Code"/> other tools may
/// match on, and a <see cref="Message"/> for people that names the value and the rule.
/// </summary>
public sealed record Rejection(RejectionCode Code, string Message)
{
    /// <summary>The code a rejection record holds by name (<c>InsufficientBalance</c>); null for any other
    /// text.</summary>
    public static RejectionCode? CodeOf(string recorded) =>
        Enum.TryParse<RejectionCode>(recorded, ignoreCase: false, out var code)
        && Enum.IsDefined(code)
        && code.ToString() == recorded
            ? code
            : null;
}

/// <summary>
/// The rejection codes: part of the CLI contract, written as the member name (<c>InsufficientBalance</c>) and
/// recorded with rejected commands. The numbers are fixed; a code is never renumbered, removed or reused.
/// docs/cli.md lists them with their rules; <see cref="Rejections"/> owns every message.
/// </summary>
public enum RejectionCode
{
#pragma warning disable CS1591 // each name is its own documentation
    InvalidArgument = 1,
    InvalidParameters = 2,
    UnknownInstrument = 3,
    UnknownAsset = 4,
    ListingMismatch = 5,
    InsufficientBalance = 6,
    InsufficientFreeCollateral = 7,
    LeverageAboveTierMaximum = 8,
    QuantityNotOnStep = 9,
    PriceNotOnTick = 10,
    NoMarkPrice = 11,
    NoPosition = 12,
    QuantityExceedsPosition = 13,
    AmountNotOnPrecision = 14,
    PriceNotOnPrecision = 15,
    InsuranceFundSettlementOnly = 16,
    InvariantViolated = 17,
    ArithmeticLimit = 18,
    PriceAboveLimit = 19,
    PositionAboveLimit = 20,
    BalanceAboveLimit = 21,
    PriceOutsideBand = 22,
#pragma warning restore CS1591
}

/// <summary>
/// Every rejection a decider answers, with its code and its message: the one place a message is written, so the
/// same rule reads the same wherever it is checked. Messages name the value and the rule. A message, once
/// released, never changes: a rejection recorded with a command id is re-executed by <c>verify --reexecute</c>
/// and must read the same, word for word.
/// </summary>
public static class Rejections
{
    // ---- input values

    /// <summary>A value the command carries is malformed (an id, a field); the text names it.</summary>
    public static Decision InvalidArgument(string problem) => Reject(RejectionCode.InvalidArgument, problem);

    /// <summary>An amount that is zero or negative.</summary>
    public static Decision AmountNotPositive(decimal amount) =>
        Reject(RejectionCode.InvalidArgument, $"amount must be positive, not {amount}");

    /// <summary>A price that is zero or negative.</summary>
    public static Decision PriceNotPositive(decimal price) =>
        Reject(RejectionCode.InvalidArgument, $"price must be positive, not {price}");

    /// <summary>An order quantity that is zero or negative.</summary>
    public static Decision QuantityNotPositive(decimal quantity) =>
        Reject(RejectionCode.InvalidArgument, $"quantity must be positive, not {quantity}");

    /// <summary>Leverage below 1×.</summary>
    public static Decision LeverageBelowOne(decimal leverage) =>
        Reject(RejectionCode.InvalidArgument, $"leverage must be at least 1, not {leverage}");

    /// <summary>A price update for the settlement asset.</summary>
    public static Decision SettlementPriceIsOne(string symbol) =>
        Reject(RejectionCode.InvalidArgument, $"{symbol} is the settlement asset; its price is 1 by definition");

    // ---- listings and parameters

    /// <summary>A listing or parameter value out of its range; the text names it.</summary>
    public static Decision InvalidParameters(string problem) => Reject(RejectionCode.InvalidParameters, problem);

    /// <summary>An instrument quoted in something else than the settlement asset.</summary>
    public static Decision QuoteNotSettlement(Asset quote) =>
        Reject(
            RejectionCode.InvalidParameters,
            $"quote must be the settlement asset {Venue.SettlementAsset}, not {quote}"
        );

    /// <summary>An instrument whose base is its quote.</summary>
    public static Decision SameBaseAndQuote(Asset asset) =>
        Reject(RejectionCode.InvalidParameters, $"base and quote are both {asset}");

    /// <summary>A rate that must lie in [0, 1).</summary>
    public static Decision RateOutOfRange(string name, decimal value) =>
        Reject(RejectionCode.InvalidParameters, $"{name} must be in [0, 1), not {value}");

    /// <summary>A step or tick that is zero or negative.</summary>
    public static Decision NotPositive(string name, decimal value) =>
        Reject(RejectionCode.InvalidParameters, $"{name} must be positive, not {value}");

    /// <summary>A step or tick finer than the ledger keeps.</summary>
    public static Decision TooManyPlaces(string name, int scale, decimal value) =>
        Reject(RejectionCode.InvalidParameters, $"{name} must have at most {scale} decimal places, not {value}");

    /// <summary>New limits below the instrument's current mark.</summary>
    public static Decision MaxPriceBelowMark(decimal maxPrice, Symbol symbol, decimal mark) =>
        Reject(RejectionCode.InvalidParameters, $"limits.maxPrice {maxPrice} is below {symbol}'s mark {mark}");

    /// <summary>New limits below an open position.</summary>
    public static Decision MaxQuantityBelowPosition(decimal maxQuantity, Symbol symbol, decimal largest) =>
        Reject(
            RejectionCode.InvalidParameters,
            $"limits.maxQuantity {maxQuantity} is below an open {symbol} position of {largest}"
        );

    /// <summary>A collateral listing of the settlement asset.</summary>
    public static Decision SettlementCountsOneToOne(Asset asset) =>
        Reject(RejectionCode.InvalidParameters, $"{asset} is the settlement asset; it always counts 1:1");

    /// <summary>A liquidation buffer outside [0, 10).</summary>
    public static Decision BufferOutOfRange(decimal buffer) =>
        Reject(RejectionCode.InvalidParameters, $"buffer must be in [0, 10), not {buffer}");

    /// <summary>A liquidation slippage outside [0, 0.5).</summary>
    public static Decision SlippageOutOfRange(decimal slippage) =>
        Reject(RejectionCode.InvalidParameters, $"slippage must be in [0, 0.5), not {slippage}");

    /// <summary>A per-price-event notional cap that is zero or negative.</summary>
    public static Decision NotionalCapNotPositive(decimal? cap) =>
        Reject(RejectionCode.InvalidParameters, $"notionalCap must be positive when given, not {cap}");

    /// <summary>An instrument symbol already listed as a collateral asset.</summary>
    public static Decision ListedAsCollateral(Symbol symbol) =>
        Reject(
            RejectionCode.ListingMismatch,
            $"{symbol} is already a collateral asset; prices could not tell them apart"
        );

    /// <summary>A collateral asset already listed as an instrument.</summary>
    public static Decision ListedAsInstrument(Asset asset) =>
        Reject(RejectionCode.ListingMismatch, $"{asset} is already an instrument; prices could not tell them apart");

    /// <summary>A relisting with another base or quote.</summary>
    public static Decision PairMismatch(
        Symbol symbol,
        Asset listedBase,
        Asset listedQuote,
        Asset newBase,
        Asset newQuote
    ) =>
        Reject(
            RejectionCode.ListingMismatch,
            $"{symbol} is listed as {listedBase}/{listedQuote}, not {newBase}/{newQuote}"
        );

    /// <summary>A relisting of a collateral asset with other limits.</summary>
    public static Decision CollateralLimitsFixed(Asset asset, int precision, decimal maxPrice, decimal maxBalance) =>
        Reject(
            RejectionCode.ListingMismatch,
            $"{asset}'s limits are fixed at listing ({precision} places, index up to "
                + $"{maxPrice}, balances up to {maxBalance})"
        );

    // ---- what is listed

    /// <summary>No instrument of that symbol.</summary>
    public static Decision UnknownInstrument(string symbol) =>
        Reject(RejectionCode.UnknownInstrument, $"no instrument named '{symbol}' is listed");

    /// <summary>A price update for a symbol that is neither an instrument nor a collateral asset.</summary>
    public static Decision UnknownPriceSymbol(string symbol) =>
        Reject(RejectionCode.UnknownInstrument, $"no instrument or collateral asset named '{symbol}' is listed");

    /// <summary>An asset that is neither the settlement asset nor listed collateral.</summary>
    public static Decision UnknownAsset(string asset) =>
        Reject(
            RejectionCode.UnknownAsset,
            $"'{asset}' is neither the settlement asset {Venue.SettlementAsset} nor a listed collateral asset"
        );

    /// <summary>
    /// An insurance-fund top-up in an asset that is neither the settlement asset nor listed collateral. Worded as
    /// releases up to 0.1.0 recorded it (without naming USDT, unlike <see cref="UnknownAsset"/>): recorded
    /// rejections re-execute by their exact text.
    /// </summary>
    public static Decision UnknownFundAsset(string asset) =>
        Reject(RejectionCode.UnknownAsset, $"'{asset}' is neither the settlement asset nor a listed collateral asset");

    /// <summary>An insurance-fund top-up in another asset than the settlement asset.</summary>
    public static Decision InsuranceFundSettlementOnly(Asset asset) =>
        Reject(
            RejectionCode.InsuranceFundSettlementOnly,
            $"the insurance fund holds and pays {Venue.SettlementAsset} only, not {asset}"
        );

    // ---- prices

    /// <summary>A mark with more places than the instrument's price precision.</summary>
    public static Decision MarkNotOnPrecision(decimal price, Symbol symbol, int precision) =>
        Reject(
            RejectionCode.PriceNotOnPrecision,
            $"mark {price} of {symbol} has more than {precision} decimal places, its listed price precision"
        );

    /// <summary>A mark above the instrument's maximum price.</summary>
    public static Decision MarkAboveLimit(decimal price, Symbol symbol, decimal maxPrice) =>
        Reject(RejectionCode.PriceAboveLimit, $"mark {price} of {symbol} is above its listed maximum price {maxPrice}");

    /// <summary>An index price with more places than index prices carry.</summary>
    public static Decision IndexNotOnPrecision(decimal price, Asset asset, int scale) =>
        Reject(
            RejectionCode.PriceNotOnPrecision,
            $"index price {price} of {asset} has more than {scale} decimal places, the precision of index prices"
        );

    /// <summary>An index price above the asset's maximum price.</summary>
    public static Decision IndexAboveLimit(decimal price, Asset asset, decimal maxPrice) =>
        Reject(
            RejectionCode.PriceAboveLimit,
            $"index price {price} of {asset} is above its listed maximum price {maxPrice}"
        );

    // ---- orders

    /// <summary>An order price above the instrument's maximum price.</summary>
    public static Decision OrderPriceAboveLimit(decimal price, Symbol symbol, decimal maxPrice) =>
        Reject(RejectionCode.PriceAboveLimit, $"price {price} is above {symbol}'s listed maximum price {maxPrice}");

    /// <summary>An order price off the tick.</summary>
    public static Decision PriceNotOnTick(decimal price, Symbol symbol, decimal tick) =>
        Reject(RejectionCode.PriceNotOnTick, $"price {price} is not a multiple of {symbol}'s tick size {tick}");

    /// <summary>An order quantity off the step.</summary>
    public static Decision QuantityNotOnStep(decimal quantity, Symbol symbol, decimal step) =>
        Reject(
            RejectionCode.QuantityNotOnStep,
            $"quantity {quantity} is not a multiple of {symbol}'s quantity step {step}"
        );

    /// <summary>An order before the instrument's first mark.</summary>
    public static Decision NoMarkPrice(Symbol symbol) =>
        Reject(RejectionCode.NoMarkPrice, $"{symbol} has no mark price yet; send update-price first");

    /// <summary>A fill further from the mark than the instrument's band.</summary>
    public static Decision PriceOutsideBand(decimal price, decimal band, Symbol symbol, decimal mark) =>
        Reject(
            RejectionCode.PriceOutsideBand,
            $"price {price} is more than {band * 100m} % away from {symbol}'s mark {mark} (band "
                + $"{mark - band * mark} to {mark + band * mark})"
        );

    /// <summary>A close without a position.</summary>
    public static Decision NoPosition(AccountId account, Symbol symbol) =>
        Reject(RejectionCode.NoPosition, $"{account} has no position in {symbol}");

    /// <summary>A close of more than the position.</summary>
    public static Decision QuantityExceedsPosition(AccountId account, decimal size, Symbol symbol, decimal quantity) =>
        Reject(RejectionCode.QuantityExceedsPosition, $"{account} holds {size} {symbol}, cannot close {quantity}");

    /// <summary>An order that would take the position above the listed maximum quantity.</summary>
    public static Decision PositionAboveMaxQuantity(AccountId account, decimal sizeAfter, Symbol symbol, decimal max) =>
        Reject(
            RejectionCode.PositionAboveLimit,
            $"after this order {account} would hold {sizeAfter} {symbol}, above the listed maximum {max}"
        );

    /// <summary>An order that would take the position above the listed maximum notional.</summary>
    public static Decision PositionAboveMaxNotional(AccountId account, Symbol symbol, decimal notional, decimal max) =>
        Reject(
            RejectionCode.PositionAboveLimit,
            $"after this order {account}'s {symbol} notional would be {notional}, above the listed maximum {max}"
        );

    /// <summary>A leverage above what the position's bracket allows, when it is set.</summary>
    public static Decision LeverageAboveBracket(
        Symbol symbol,
        int bracket,
        decimal notional,
        decimal max,
        decimal leverage
    ) =>
        Reject(
            RejectionCode.LeverageAboveTierMaximum,
            $"{symbol} bracket {bracket} (notional {notional}) allows at most {max}×, not {leverage}×"
        );

    /// <summary>An order that lands the position in a bracket whose maximum is below the chosen leverage.</summary>
    public static Decision LeverageAboveBracketAfterOrder(
        Symbol symbol,
        decimal notional,
        int bracket,
        decimal max,
        decimal chosen
    ) =>
        Reject(
            RejectionCode.LeverageAboveTierMaximum,
            $"after this order {symbol} notional {notional} is in bracket {bracket}, which allows at most "
                + $"{max}×; leverage is {chosen}× (lower it with set-leverage)"
        );

    // ---- balances and margin

    /// <summary>A withdrawal of more than the balance.</summary>
    public static Decision InsufficientBalance(AccountId account, decimal balance, Asset asset, decimal amount) =>
        Reject(RejectionCode.InsufficientBalance, $"{account} holds {balance} {asset}, cannot withdraw {amount}");

    /// <summary>A withdrawal, leverage change or order (<paramref name="what"/>) that leaves free collateral below
    /// 0.</summary>
    public static Decision InsufficientFreeCollateral(
        string what,
        decimal free,
        decimal equity,
        decimal initialMargin
    ) =>
        Reject(
            RejectionCode.InsufficientFreeCollateral,
            $"after this {what} free collateral would be {free} (equity {equity} − initial margin {initialMargin})"
        );

    /// <summary>An amount with more places than the asset's precision.</summary>
    public static Decision AmountNotOnPrecision(decimal amount, int precision, Asset asset) =>
        Reject(
            RejectionCode.AmountNotOnPrecision,
            $"amount {amount} has more than {precision} decimal places, the precision of {asset}"
        );

    /// <summary>A deposit that takes a balance above the asset's maximum.</summary>
    public static Decision BalanceAboveLimit(string holder, decimal balanceAfter, Asset asset, decimal max) =>
        Reject(
            RejectionCode.BalanceAboveLimit,
            $"{holder} would hold {balanceAfter} {asset}, above the listed maximum balance {max}"
        );

    // ---- the runtime's guards

    /// <summary>Decided events that would break a ledger invariant (design §5).</summary>
    public static Decision InvariantViolated(string command, IEnumerable<string> problems) =>
        Reject(
            RejectionCode.InvariantViolated,
            $"{command} would break the ledger invariants, so nothing was appended: {string.Join("; ", problems)}"
        );

    /// <summary>A figure beyond exact decimal arithmetic.</summary>
    public static Decision ArithmeticLimit(string command, string reason) =>
        Reject(
            RejectionCode.ArithmeticLimit,
            $"{command} leads to a figure beyond exact decimal arithmetic ({reason}); nothing was appended"
        );

    private static Decision.Rejected Reject(RejectionCode code, string message) => new(new Rejection(code, message));
}
