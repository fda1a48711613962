using System.Globalization;
using CrossMargin.Ledger.Liquidation;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>
/// <c>ledger explain</c> in words and tables: why the account was liquidatable, with which prices and
/// brackets, what each step did and why, who took the rest, and where the account ended.
/// </summary>
public static class ExplainReport
{
    /// <summary>Writes the explanation.</summary>
    public static void Write(IAnsiConsole console, LiquidationReport r)
    {
        var t = r.Triggered;
        console.MarkupLine($"[bold]Liquidation {Esc(r.Id)}[/] of account [bold]{Esc(r.Account)}[/] — outcome [bold]{Esc(r.Outcome)}[/]");
        console.MarkupLine($"Triggered by [bold]{Esc(t.TriggerType)}[/] {Esc(t.TriggerSymbol)} → {D(t.TriggerPrice)} at global position {r.TriggerPosition}; the liquidation starts at {r.Position}.");
        var ratio = t.MarginRatio is { } mr ? $"{D(mr)} (≥ 1)" : "n/a (equity ≤ 0)";
        console.MarkupLine($"Before: collateral {D(t.CollateralValue)} + unrealised PnL {D(t.UnrealizedPnl)} = equity E = {D(t.Equity)}; maintenance margin MM = {D(t.MaintenanceMargin)}; " +
            $"margin ratio MM / E = {Esc(ratio)}. E ≤ MM, so the account is liquidatable.");
        console.MarkupLine($"Policy: stop once E > MM × (1 + {D(t.Buffer)}); deficit policy [bold]{Esc(t.DeficitPolicy)}[/]; insurance fund {D(t.InsuranceFund)} USDT.");

        var positions = new Table().Title("positions when triggered").AddColumn("figure");
        foreach (var p in t.Positions) positions.AddColumn(new TableColumn(Esc(p.Symbol)).RightAligned());
        Row(positions, "size", t.Positions.Select(p => D(p.Size)));
        Row(positions, "entry price", t.Positions.Select(p => D(p.EntryPrice)));
        Row(positions, "mark price", t.Positions.Select(p => D(p.MarkPrice)));
        Row(positions, "notional N", t.Positions.Select(p => D(p.Notional)));
        Row(positions, "bracket", t.Positions.Select(p => I(p.Tier)));
        Row(positions, "mmr", t.Positions.Select(p => D(p.Mmr)));
        Row(positions, "cum", t.Positions.Select(p => D(p.MaintenanceAmount)));
        Row(positions, "MM = N × mmr − cum", t.Positions.Select(p => D(p.MaintenanceMargin)));
        Row(positions, "unrealised PnL", t.Positions.Select(p => D(p.UnrealizedPnl)));
        console.Write(positions);
        console.MarkupLine("Prices used: " + string.Join(", ", t.Prices.Select(p => $"{Esc(p.Symbol)} {p.Kind} {D(p.Price)}")) + ".");

        console.MarkupLine("Steps: largest MM first (ties by symbol); above bracket 1 a position is reduced to the cap of the next lower bracket, in bracket 1 it is closed.");
        foreach (var (position, s) in r.Steps)
        {
            var step = new Table().Title($"step {I(s.Step)}: {Esc(s.Symbol)} {s.Rule}, {s.Execution} (global position {position})").AddColumns("figure", "value");
            step.Columns[1].RightAligned();
            step.AddRow("quantity", D(s.Quantity));
            step.AddRow("mark price", D(s.MarkPrice));
            step.AddRow("fill price", D(s.FillPrice));
            step.AddRow("bankruptcy price", D(s.BankruptcyPrice));
            step.AddRow("size", $"{D(s.SizeBefore)} → {D(s.SizeAfter)}");
            step.AddRow("bracket", $"{s.TierBefore} → {(s.TierAfter is { } ta ? I(ta) : "flat")}");
            step.AddRow("realised PnL", D(s.RealizedPnl));
            step.AddRow("fee to the insurance fund", D(s.Fee));
            step.AddRow("insurance fund Δ", D(s.InsuranceFundDelta));
            console.Write(step);
            console.MarkupLine("  " + Esc(Why(s)));
        }
        foreach (var (_, d) in r.Deleveraged)
            console.MarkupLine($"  ADL rank {I(d.Rank)}: {Esc(d.Account)} (score PnL % × effective leverage = {D(d.Score)}) took {D(d.Quantity)} at {D(d.Price)}, " +
                $"size {D(d.SizeBefore)} → {D(d.SizeAfter)}, realising {D(d.RealizedPnl)}.");
        foreach (var (_, l) in r.Socialized)
            console.MarkupLine($"  Socialised loss: {Esc(l.Account)} paid {D(l.Amount)} of the deficit (its unrealised profit {D(l.Basis)}).");
        console.MarkupLine(End(r));
    }

    private static string Why(PositionLiquidated s)
    {
        var rule = s.Rule == "tier-step-down"
            ? $"step {s.Step}: {s.Symbol} was in bracket {s.TierBefore}, above bracket 1, so it was reduced by {D(s.Quantity)} to {(s.TierAfter is { } a ? "bracket " + I(a) : "flat")}"
            : $"step {s.Step}: {s.Symbol} was in bracket 1, so it was closed ({D(s.Quantity)})";
        var sign = s.Side == "short" ? "F − BP" : "BP − F";
        return s.Execution switch
        {
            "market" when s.InsuranceFundDelta >= 0m =>
                $"{rule}; filled at {D(s.FillPrice)}; d = |Δ| × ({sign}) ≥ 0, so the fee min(rate × |Δ| × F, d) = {D(s.Fee)} went to the insurance fund.",
            "market" => $"{rule}; filled at {D(s.FillPrice)}, beyond the bankruptcy price {D(s.BankruptcyPrice)}: d < 0, the insurance fund paid {D(-s.InsuranceFundDelta)}.",
            "adl" => $"{rule}; the insurance fund could not pay, so {D(s.Quantity)} went to opposite positions at the bankruptcy price {D(s.BankruptcyPrice)} (ADL).",
            "socialized" => $"{rule}; the insurance fund could not pay; filled at {D(s.FillPrice)} and the deficit was charged to profitable opposite positions.",
            _ => $"{rule}; nothing could cover the deficit: filled at {D(s.FillPrice)} and the loss stays on the account.",
        };
    }

    private static string End(LiquidationReport r) => r.End?.Event switch
    {
        LiquidationCompleted c => $"After ({c.Outcome}): equity {D(c.Equity)}, MM {D(c.MaintenanceMargin)}, margin ratio {(c.MarginRatio is { } m ? D(m) : "n/a")}, " +
            $"{c.Positions.Count} position(s) left; insurance fund {D(c.InsuranceFund)}.",
        AccountBankrupt b => $"After (bankrupt): equity {D(b.Equity)}; deficit covered by the insurance fund {D(b.CoveredByInsuranceFund)}, " +
            $"by ADL {D(b.DeleveragedQuantity)} units, socialised {D(b.Socialized)}, uncovered {D(b.Uncovered)}; insurance fund {D(b.InsuranceFund)}.",
        _ => "The liquidation has no recorded end.",
    };

    private static void Row(Table table, string figure, IEnumerable<string> values) => table.AddRow([figure, .. values]);

    private static string D(decimal d) => Esc(LedgerOutput.Text(d));

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string s) => Markup.Escape(s);
}
