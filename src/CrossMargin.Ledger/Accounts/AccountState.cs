namespace CrossMargin.Ledger.Accounts;

/// <summary>An open position: signed size (+ long, − short, base units) and average entry price.</summary>
public sealed record Position(decimal Size, decimal EntryPrice);

/// <summary>
/// An account as folded from its events: balances per asset (the settlement balance may be negative
/// through realised losses and fees), open positions, chosen leverage per instrument, and how many
/// liquidations it has had (liquidation ids are <c>{account}#{n}</c>).
/// </summary>
public sealed record AccountState(
    AccountId Id,
    SmallSortedDictionary<Asset, decimal> Balances,
    SmallSortedDictionary<Symbol, Position> Positions,
    SmallSortedDictionary<Symbol, decimal> Leverage,
    int Liquidations = 0
)
{
    /// <summary>An account with nothing in it.</summary>
    public static AccountState Open(AccountId id) => new(id, default, default, default);

    /// <summary>The balance of <paramref name="asset"/>, 0 when never held.</summary>
    public decimal Balance(Asset asset) => Balances.GetValueOrDefault(asset);

    /// <summary>The size of the position in <paramref name="symbol"/>, 0 when flat.</summary>
    public decimal Size(Symbol symbol) => Positions.TryGetValue(symbol, out var p) ? p.Size : 0m;
}
