using System.Collections.Immutable;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// What the per-price-event limits still allow while the engine answers one price event: the notional each capped
/// instrument may still liquidate (in settlement asset, at the mark) and what socialised loss has already charged
/// each winner (capped at its profit over the whole event). Their one owner: <see cref="For"/> starts them from the
/// listings and <see cref="After"/> moves them by each liquidation event, in the engine and in the decider alike.
/// </summary>
public sealed record LiquidationCaps(
    ImmutableDictionary<Symbol, decimal> NotionalLeft,
    ImmutableDictionary<AccountId, decimal> Charged
)
{
    /// <summary>No cap and nothing charged.</summary>
    public static LiquidationCaps None { get; } =
        new(ImmutableDictionary<Symbol, decimal>.Empty, ImmutableDictionary<AccountId, decimal>.Empty);

    /// <summary>The caps at the start of a price event: each capped instrument's full cap, nothing charged.</summary>
    public static LiquidationCaps For(LedgerState state) =>
        None with
        {
            NotionalLeft = state
                .Market.Instruments.Values.Where(i => i.Spec.LiquidationNotionalCap is not null)
                .ToImmutableDictionary(i => i.Spec.Symbol, i => i.Spec.LiquidationNotionalCap!.Value),
        };

    /// <summary>The caps once <paramref name="e"/> is appended: a liquidation fill spends notional, a socialised loss
    /// charges its winner.</summary>
    public LiquidationCaps After(ILedgerEvent e) =>
        e switch
        {
            PositionLiquidated l when NotionalLeft.TryGetValue(l.Symbol, out var left) => this with
            {
                NotionalLeft = NotionalLeft.SetItem(l.Symbol, left - l.NotionalAtMark),
            },
            LossSocialized s => this with { Charged = Charged.SetItem(s.Account, ChargedTo(s.Account) + s.Amount) },
            _ => this,
        };

    /// <summary>What socialised loss has charged <paramref name="account"/> so far in this price event.</summary>
    public decimal ChargedTo(AccountId account) => Charged.GetValueOrDefault(account);
}
