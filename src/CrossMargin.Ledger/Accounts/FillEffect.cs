namespace CrossMargin.Ledger.Accounts;

/// <summary>What a fill did to the position (wire words <c>open</c>, <c>increase</c>, <c>reduce</c>, <c>close</c>,
/// <c>flip</c>).</summary>
public enum FillEffect
{
    /// <summary>No position before: one is opened at the fill price.</summary>
    Open,

    /// <summary>Added to the position on its side: the entry price is averaged.</summary>
    Increase,

    /// <summary>Part of the position closed: PnL is realised, the entry price kept.</summary>
    Reduce,

    /// <summary>All of the position closed.</summary>
    Close,

    /// <summary>Closed and the rest opened the other way at the fill price.</summary>
    Flip,
}
