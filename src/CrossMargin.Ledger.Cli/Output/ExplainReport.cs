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

        var positions = new Table().Title("positions when triggered").AddColumns("symbol", "size", "entry", "mark", "notional N", "tier", "mmr", "cum", "MM = N × mmr − cum", "uPnL");
        foreach (var p in t.Positions)
            positions.AddRow(Esc(p.Symbol), D(p.Size), D(p.EntryPrice), D(p.MarkPrice), D(p.Notional), I(p.Tier), D(p.Mmr), D(p.MaintenanceAmount), D(p.MaintenanceMargin), D(p.UnrealizedPnl));
        console.Write(positions);
        var prices = new Table().Title("prices used").AddColumns("symbol", "kind", "price");
        foreach (var p in t.Prices) prices.AddRow(Esc(p.Symbol), p.Kind, D(p.Price));
        console.Write(prices);

        console.MarkupLine("Steps: largest MM first (ties by symbol); above bracket 1 a position is reduced to the cap of the next lower bracket, in bracket 1 it is closed.");
        var steps = new Table().AddColumns("#", "symbol", "rule", "execution", "qty", "mark", "fill", "bankruptcy", "realised PnL", "fee", "IF Δ", "tier");
        foreach (var (_, s) in r.Steps)
            steps.AddRow(I(s.Step), Esc(s.Symbol), s.Rule, s.Execution, D(s.Quantity), D(s.MarkPrice), D(s.FillPrice), D(s.BankruptcyPrice),
                D(s.RealizedPnl), D(s.Fee), D(s.InsuranceFundDelta), $"{s.TierBefore} → {(s.TierAfter is { } ta ? I(ta) : "flat")}");
        console.Write(steps);
        foreach (var (_, s) in r.Steps) console.MarkupLine("  " + Esc(Why(s)));

        if (!r.Deleveraged.IsEmpty)
        {
            var adl = new Table().Title("auto-deleveraged counterparties (ranked by PnL % × effective leverage)").AddColumns("rank", "account", "score", "qty", "price", "size before → after", "realised PnL");
            foreach (var (_, d) in r.Deleveraged)
                adl.AddRow(I(d.Rank), Esc(d.Account), D(d.Score), D(d.Quantity), D(d.Price), $"{D(d.SizeBefore)} → {D(d.SizeAfter)}", D(d.RealizedPnl));
            console.Write(adl);
        }
        if (!r.Socialized.IsEmpty)
        {
            var loss = new Table().Title("socialised loss (pro rata to unrealised profit)").AddColumns("account", "profit basis", "paid");
            foreach (var (_, l) in r.Socialized) loss.AddRow(Esc(l.Account), D(l.Basis), D(l.Amount));
            console.Write(loss);
        }
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

    private static string D(decimal d) => Esc(EventStore.Json.DecimalStringConverter.Format(d));

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string s) => Markup.Escape(s);
}
