using System.Runtime.Serialization;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>The rule that chose a liquidation step (stored as the kebab-case word of each member).</summary>
public enum StepRule
{
    /// <summary><c>close-in-tier-1</c>: a position in bracket 1 is closed in full.</summary>
    [EnumMember(Value = "close-in-tier-1")]
    CloseInTier1,

    /// <summary><c>tier-step-down</c>: reduced to just under the cap of a lower bracket.</summary>
    [EnumMember(Value = "tier-step-down")]
    TierStepDown,

    /// <summary><c>close-step-down-cannot-restore</c>: no step-down could restore health even without a fee.</summary>
    [EnumMember(Value = "close-step-down-cannot-restore")]
    CloseStepDownCannotRestore,

    /// <summary><c>close-in-full</c>: the what-if policy <see cref="LiquidationPolicy.CloseInFull"/> closes every
    /// position in full (never in a log: no command sets that policy).</summary>
    [EnumMember(Value = "close-in-full")]
    CloseInFull,
}

/// <summary>How a liquidation step's quantity left the account.</summary>
public enum Execution
{
    /// <summary><c>market</c>: filled at the mark moved by the instrument's slippage.</summary>
    Market,

    /// <summary><c>adl</c>: transferred at the bankruptcy price to ranked opposite positions.</summary>
    Adl,

    /// <summary><c>socialized</c>: a market fill whose deficit profitable opposite positions share.</summary>
    Socialized,

    /// <summary><c>uncovered</c>: a market fill whose deficit nothing could cover.</summary>
    Uncovered,
}

/// <summary>How a liquidation that needed no deficit cover ended.</summary>
public enum LiquidationOutcome
{
    /// <summary><c>healthy</c>: E &gt; MM × (1 + buffer) again.</summary>
    Healthy,

    /// <summary><c>flat</c>: no position left.</summary>
    Flat,

    /// <summary><c>capped</c>: a per-price-event notional cap stopped it.</summary>
    Capped,
}

/// <summary>Which price the engine used for a symbol.</summary>
public enum PriceKind
{
    /// <summary><c>mark</c>: an instrument's mark price.</summary>
    Mark,

    /// <summary><c>index</c>: a collateral asset's index price.</summary>
    Index,
}
