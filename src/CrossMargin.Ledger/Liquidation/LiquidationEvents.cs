using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>The venue's liquidation buffer and deficit policy changed (stream <c>venue</c>).</summary>
[WireName("liquidation-policy-set.v1")]
public sealed record LiquidationPolicySet(decimal Buffer, DeficitPolicy DeficitPolicy) : ILedgerEvent;

/// <summary>
/// An instrument's liquidation execution parameters changed: <c>Slippage</c> moves the fill price against
/// the liquidated account (0.001 = 0.1 % of the mark); <c>NotionalCap</c>, when set, caps the notional
/// liquidated in the instrument per price event (a cascade brake).
/// </summary>
[WireName("instrument-liquidation-set.v1")]
public sealed record InstrumentLiquidationSet(Symbol Symbol, decimal Slippage, decimal? NotionalCap) : ILedgerEvent;

/// <summary>A position as the engine saw it: its figures at the mark (design §3).</summary>
public sealed record PositionSnapshot(
    Symbol Symbol,
    decimal Size,
    decimal EntryPrice,
    decimal MarkPrice,
    decimal Notional,
    int Tier,
    decimal Mmr,
    decimal MaintenanceAmount,
    decimal MaintenanceMargin,
    decimal UnrealizedPnl
);

/// <summary>A price the engine used: an instrument mark or a collateral index price.</summary>
public sealed record PriceUsed(string Symbol, PriceKind Kind, decimal Price);

/// <summary>
/// Step 1 of a liquidation (account stream): every input of the decision. The triggering event is the
/// event of the same command named by <c>TriggerType</c>/<c>TriggerSymbol</c>/<c>TriggerPrice</c>; reports
/// give its global position.
/// </summary>
/// <param name="LiquidationId"><c>{account}#{n}</c>: the account's n-th liquidation.</param>
/// <param name="InsuranceFund">the insurance fund's settlement balance when the liquidation began.</param>
[WireName("liquidation-triggered.v1")]
public sealed record LiquidationTriggered(
    string LiquidationId,
    AccountId Account,
    string TriggerType,
    string TriggerSymbol,
    decimal TriggerPrice,
    decimal CollateralValue,
    decimal UnrealizedPnl,
    decimal Equity,
    decimal MaintenanceMargin,
    decimal? MarginRatio,
    decimal Buffer,
    DeficitPolicy DeficitPolicy,
    decimal InsuranceFund,
    IReadOnlyList<PositionSnapshot> Positions,
    IReadOnlyList<PriceUsed> Prices
) : ILedgerEvent;

/// <summary>
/// One step of a liquidation (account stream). The settlement balance moves by
/// <c>RealizedPnl − InsuranceFundDelta</c> and the insurance fund by <c>+InsuranceFundDelta</c> (both legs
/// here): a fee is a positive delta, a payout to cover a deficit a negative one.
/// </summary>
/// <param name="Rule"><c>tier-step-down</c> (reduce to the next lower bracket's cap) or <c>close-in-tier-1</c>.</param>
/// <param name="Execution"><c>market</c> (filled at the mark moved by slippage), <c>adl</c> (transferred at the
/// bankruptcy price), <c>socialized</c> (market fill whose deficit other accounts share) or <c>uncovered</c>
/// (market fill whose deficit nothing could cover).</param>
/// <param name="NotionalAtMark">|quantity| × mark: what counts against a per-price-event cap.</param>
[WireName("position-liquidated.v1")]
public sealed record PositionLiquidated(
    string LiquidationId,
    AccountId Account,
    int Step,
    Symbol Symbol,
    Side Side,
    decimal Quantity,
    decimal MarkPrice,
    decimal FillPrice,
    decimal BankruptcyPrice,
    decimal NotionalAtMark,
    decimal SizeBefore,
    decimal EntryPrice,
    decimal SizeAfter,
    int TierBefore,
    int? TierAfter,
    decimal RealizedPnl,
    decimal Fee,
    decimal InsuranceFundDelta,
    StepRule Rule,
    Execution Execution,
    Asset Asset
) : ILedgerEvent;

/// <summary>
/// A counterparty's position (its own stream) was reduced by auto-deleveraging: it took
/// <c>Quantity</c> of the liquidated account's slice at the bankruptcy price. Ranked by
/// <c>Score</c> (PnL % × effective leverage for winners), ties by account id.
/// </summary>
[WireName("position-auto-deleveraged.v1")]
public sealed record PositionAutoDeleveraged(
    string LiquidationId,
    AccountId Account,
    AccountId LiquidatedAccount,
    Symbol Symbol,
    decimal Quantity,
    decimal Price,
    decimal SizeBefore,
    decimal EntryPrice,
    decimal SizeAfter,
    decimal RealizedPnl,
    int Rank,
    decimal Score,
    Asset Asset
) : ILedgerEvent;

/// <summary>
/// A profitable counterparty (its own stream) paid <c>Amount</c> of a liquidated account's deficit, pro
/// rata to its unrealised profit <c>Basis</c>; both legs post here.
/// </summary>
[WireName("loss-socialized.v1")]
public sealed record LossSocialized(
    string LiquidationId,
    AccountId Account,
    AccountId LiquidatedAccount,
    Symbol Symbol,
    decimal Amount,
    decimal Basis,
    Asset Asset
) : ILedgerEvent;

/// <summary>
/// A liquidation step that sold collateral for settlement debt left after the account's positions were gone
/// (account stream): <c>Quantity</c> of <c>Asset</c> left the account at <c>Price</c> (the index price at its
/// haircut, rounded down to 10⁻⁸) and <c>Proceeds</c> (<c>Quantity × Price</c> rounded down) of
/// <c>SettlementAsset</c> came in.
/// </summary>
[WireName("collateral-sold.v1")]
public sealed record CollateralSold(
    string LiquidationId,
    AccountId Account,
    int Step,
    Asset Asset,
    decimal Quantity,
    decimal IndexPrice,
    decimal Price,
    decimal Proceeds,
    Asset SettlementAsset
) : ILedgerEvent;

/// <summary>
/// A liquidation step in which the insurance fund paid <c>Amount</c> of a flat account's settlement debt
/// (account stream): the account's balance rose and the fund's fell by it.
/// </summary>
[WireName("debt-covered.v1")]
public sealed record DebtCovered(string LiquidationId, AccountId Account, int Step, Asset Asset, decimal Amount)
    : ILedgerEvent;

/// <summary>
/// The insurance fund's record (stream <c>insurance-fund</c>) of a liquidation step's fee or payout; the
/// balance moved with the <see cref="PositionLiquidated"/> or <see cref="DebtCovered"/> of the same step.
/// </summary>
[WireName("insurance-fund-changed.v1")]
public sealed record InsuranceFundChanged(
    string LiquidationId,
    AccountId Account,
    int Step,
    Asset Asset,
    decimal Delta,
    decimal BalanceAfter
) : ILedgerEvent;

/// <summary>
/// The end of a liquidation that left the account standing (account stream).
/// <c>Outcome</c>: <c>healthy</c> (E &gt; MM × (1 + buffer)), <c>flat</c> (no position left) or <c>capped</c>
/// (the per-price-event cap stopped it).
/// </summary>
[WireName("liquidation-completed.v1")]
public sealed record LiquidationCompleted(
    string LiquidationId,
    AccountId Account,
    int Steps,
    LiquidationOutcome Outcome,
    decimal Equity,
    decimal MaintenanceMargin,
    decimal? MarginRatio,
    decimal InsuranceFund,
    IReadOnlyList<PositionSnapshot> Positions
) : ILedgerEvent;

/// <summary>
/// One instrument's share of a bankrupt liquidation, in the settlement asset: the deficit its slices left
/// (<c>Deficit</c> = the four covers that follow) and who covered it — the insurance fund, ADL (the deficit
/// the <c>DeleveragedQuantity</c> base units transferred at the bankruptcy price absorbed), socialised loss —
/// and what none of them did (<c>Uncovered</c>, left on the account's balance; if the account ended flat,
/// its collateral sale and the fund then paid its debt as far as they could: see the totals). A deficit
/// never moves to another instrument's counterparties.
/// </summary>
public sealed record InstrumentDeficit(
    Symbol Symbol,
    decimal Deficit,
    decimal CoveredByInsuranceFund,
    decimal DeleveragedQuantity,
    decimal Deleveraged,
    decimal Socialized,
    decimal Uncovered
);

/// <summary>
/// The end of a liquidation whose deficit had to be covered (account stream): per instrument
/// (<c>Deficits</c>), and in total what the insurance fund covered (slices and a flat account's debt), the
/// settlement proceeds of collateral sold for that debt, what was socialised, and what nothing covered: an
/// account left flat owes exactly <c>Uncovered</c> (its equity is −Uncovered when it holds no collateral).
/// </summary>
[WireName("account-bankrupt.v2")]
public sealed record AccountBankrupt(
    string LiquidationId,
    AccountId Account,
    int Steps,
    decimal Equity,
    decimal CoveredByInsuranceFund,
    decimal CollateralProceeds,
    decimal Socialized,
    decimal Uncovered,
    decimal InsuranceFund,
    IReadOnlyList<InstrumentDeficit> Deficits,
    IReadOnlyList<PositionSnapshot> Positions
) : ILedgerEvent;
