namespace CrossMargin.Ledger.Parameters;

/// <summary>
/// One maintenance-margin bracket of an instrument: positions whose notional N (settlement asset)
/// satisfies <c>Floor ≤ N &lt; Cap</c> pay <c>MM = N × Mmr − MaintenanceAmount</c>.
/// </summary>
/// <param name="Floor">lowest notional in the bracket, inclusive, in the settlement asset.</param>
/// <param name="Cap">first notional above the bracket, exclusive; null for the last bracket (no cap).</param>
/// <param name="Mmr">maintenance margin rate: 0.005 = 0.5 %.</param>
/// <param name="MaxLeverage">largest leverage a position in this bracket may use: 125 = 125×.</param>
/// <param name="MaintenanceAmount">
/// the bracket's <c>cum</c>: <c>cum₁ = 0</c>, <c>cumₙ = floorₙ × (mmrₙ − mmrₙ₋₁) + cumₙ₋₁</c>, which keeps MM
/// continuous and monotone in N.
/// </param>
public sealed record RiskTier(decimal Floor, decimal? Cap, decimal Mmr, decimal MaxLeverage, decimal MaintenanceAmount)
{
    /// <summary>Whether <paramref name="notional"/> falls in <c>[Floor, Cap)</c>.</summary>
    public bool Contains(decimal notional) => notional >= Floor && (Cap is null || notional < Cap);

    /// <summary>Maintenance margin of a position of this notional priced in this bracket.</summary>
    public decimal MaintenanceMargin(decimal notional) => notional * Mmr - MaintenanceAmount;
}
