namespace CrossMargin.Ledger.Liquidation;

/// <summary>What covers a slice's deficit when the insurance fund cannot.</summary>
public enum DeficitPolicy
{
    /// <summary>Auto-deleveraging: the rest of the slice is transferred at the bankruptcy price to ranked opposite
    /// positions.</summary>
    Adl,

    /// <summary>Socialised loss: the rest is filled in the market and its deficit is charged pro rata to profitable
    /// opposite positions.</summary>
    Socialize,
}

/// <summary>
/// Venue-wide liquidation parameters, set by <c>liquidation-policy-set.v1</c> on stream <c>venue</c>;
/// a change affects only later events.
/// </summary>
/// <param name="Buffer">a liquidation stops once E &gt; MM × (1 + Buffer): 0.1 = 10 % above maintenance.</param>
/// <param name="DeficitPolicy">ADL or socialised loss when the insurance fund cannot pay.</param>
public sealed record LiquidationPolicy(decimal Buffer, DeficitPolicy DeficitPolicy)
{
    /// <summary>
    /// A what-if policy of the stress lab (design §8): a liquidation closes every position of the account in full
    /// (<c>close-in-full</c>) instead of stepping down bracket by bracket until it is healthy. No command sets it and
    /// no snapshot holds it, so it is false for every state a log folds to.
    /// </summary>
    public bool CloseInFull { get; init; }

    /// <summary>No buffer, ADL: what a venue gets before it says otherwise.</summary>
    public static readonly LiquidationPolicy Default = new(0m, DeficitPolicy.Adl);
}
