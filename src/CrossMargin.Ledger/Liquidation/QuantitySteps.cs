using CrossMargin.Ledger.Arithmetic;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>Rounding of liquidation quantities to an instrument's quantity step.</summary>
internal static class QuantitySteps
{
    public static decimal Floor(decimal quantity, decimal step) => Math.Floor(Rounding.Divide(quantity, step)) * step;

    public static decimal Ceiling(decimal quantity, decimal step) =>
        Math.Ceiling(Rounding.Divide(quantity, step)) * step;
}
