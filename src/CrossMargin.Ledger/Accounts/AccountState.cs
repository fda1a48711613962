using System.Collections.Immutable;

namespace CrossMargin.Ledger.Accounts;

/// <summary>An open position: signed size (+ long, − short, base units) and average entry price.</summary>
public sealed record Position(decimal Size, decimal EntryPrice);

/// <summary>
/// An account as folded from its events: balances per asset (the settlement balance may be negative
/// through realised losses and fees), open positions, chosen leverage per instrument, and how many
/// liquidations it has had (liquidation ids are <c>{account}#{n}</c>).
/// </summary>
public sealed record AccountState(
    string Id,
    ImmutableSortedDictionary<string, decimal> Balances,
    ImmutableSortedDictionary<string, Position> Positions,
    ImmutableSortedDictionary<string, decimal> Leverage,
    int Liquidations = 0
)
{
    /// <summary>An account with nothing in it.</summary>
    public static AccountState Open(string id) =>
        new(
            id,
            ImmutableSortedDictionary.Create<string, decimal>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, Position>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, decimal>(StringComparer.Ordinal)
        );

    /// <summary>The balance of <paramref name="asset"/>, 0 when never held.</summary>
    public decimal Balance(string asset) => Balances.GetValueOrDefault(asset);

    /// <summary>The size of the position in <paramref name="symbol"/>, 0 when flat.</summary>
    public decimal Size(string symbol) => Positions.TryGetValue(symbol, out var p) ? p.Size : 0m;
}
