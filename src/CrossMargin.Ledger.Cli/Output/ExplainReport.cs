using System.Globalization;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
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
        console.MarkupLine(
            $"[bold]Liquidation {Esc(r.Id)}[/] of account [bold]{Esc(r.Account.Value)}[/] — "
                + $"outcome [bold]{Esc(r.Outcome)}[/]"
        );
        console.MarkupLine(
            $"Triggered by [bold]{Esc(t.TriggerType)}[/] {Esc(t.TriggerSymbol)} → {D(t.TriggerPrice)} at global "
                + $"position {r.TriggerPosition}; the liquidation starts at {r.Position}."
        );
        var ratio = t.MarginRatio is { } mr ? $"{D(mr)} (≥ 1)" : "n/a (equity ≤ 0)";
        console.MarkupLine(
            $"Before: collateral {D(t.CollateralValue)} + unrealised PnL {D(t.UnrealizedPnl)} = equity E = "
                + $"{D(t.Equity)}; maintenance margin MM = {D(t.MaintenanceMargin)}; "
                + $"margin ratio MM / E = {Esc(ratio)}. "
                + (
                    t.Positions.Count > 0
                        ? "E ≤ MM, so the account is liquidatable."
                        : "No position is open and E < 0: debt its collateral no longer covers, so the account is "
                            + "liquidated to settle it."
                )
        );
        console.MarkupLine(
            $"Policy: stop once E > MM × (1 + {D(t.Buffer)}); deficit policy [bold]{WireWords.Of(t.DeficitPolicy)}[/]; "
                + $"insurance fund {D(t.InsuranceFund)} USDT."
        );
        console.MarkupLine(
            $"Decided under liquidation rules v{I(r.RulesVersion)}"
                + (
                    r.RulesVersion == LiquidationRules.Current
                        ? " (this build's)."
                        : $"; this build executes v{I(LiquidationRules.Current)}."
                )
        );
        foreach (var symbol in t.Positions.Select(p => p.Symbol).Where(r.Terms.ContainsKey))
        {
            var terms = r.Terms[symbol];
            console.MarkupLine(
                $"Terms of {Esc(symbol.Value)}: liquidation fee rate {D(terms.FeeRate)}, slippage {D(terms.Slippage)}, "
                    + $"notional cap per price event {(terms.NotionalCap is { } cap ? D(cap) : "none")}."
            );
        }

        var positions = new Table().Title("positions when triggered").AddColumn("figure");
        foreach (var p in t.Positions)
            positions.AddColumn(new TableColumn(Esc(p.Symbol.Value)).RightAligned());
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
        console.MarkupLine(
            "Prices used: "
                + string.Join(", ", t.Prices.Select(p => $"{Esc(p.Symbol)} {WireWords.Of(p.Kind)} {D(p.Price)}"))
                + "."
        );

        console.MarkupLine(
            r.RulesVersion >= 2
                ? "Steps: largest MM first (ties by symbol); above bracket 1 a position is reduced to the cap of the "
                    + "nearest lower bracket whose step-down "
                    + "leaves E > MM × (1 + buffer) without a fee (the fee is then capped so that it still does), "
                    + "else it is closed; in bracket 1 it is closed."
                : "Steps: largest MM first (ties by symbol); above bracket 1 a position is reduced to the cap of the "
                    + "next lower bracket, in bracket 1 it is closed."
        );
        foreach (var (position, s) in r.Steps)
        {
            var step = new Table()
                .Title(
                    $"step {I(s.Step)}: {Esc(s.Symbol.Value)} {WireWords.Of(s.Rule)}, "
                        + $"{WireWords.Of(s.Execution)} (global position {position})"
                )
                .AddColumns("figure", "value");
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
            console.MarkupLine("  " + Esc(Why(s, r.Terms.GetValueOrDefault(s.Symbol))));
        }
        foreach (var (_, d) in r.Deleveraged)
            console.MarkupLine(
                $"  ADL rank {I(d.Rank)}: {Esc(d.Account.Value)} (score PnL % × effective leverage = "
                    + $"{D(d.Score)}) took {D(d.Quantity)} at {D(d.Price)}, "
                    + $"size {D(d.SizeBefore)} → {D(d.SizeAfter)}, realising {D(d.RealizedPnl)}."
            );
        if (r.AdlHaircut is { } haircut)
            console.MarkupLine(
                $"  ADL haircut: the counterparties gave up {D(haircut.Taken)} against the mark (Σ quantity × "
                    + $"|bankruptcy price − mark|); the fund still held {D(haircut.FundLeft)} when the liquidation "
                    + $"ended, so the least haircut that covers the deficit is {D(haircut.Needed)}: overshoot "
                    + $"{D(haircut.Overshoot)}."
            );
        foreach (var (_, l) in r.Socialized)
            console.MarkupLine(
                $"  Socialised loss: {Esc(l.Account.Value)} paid {D(l.Amount)} of the deficit (its unrealised profit "
                    + $"{D(l.Basis)})."
            );
        foreach (var (position, e) in r.Settlements)
            console.MarkupLine(
                e switch
                {
                    CollateralSold sold =>
                        $"step {I(sold.Step)} (global position {position}): no position left and settlement debt "
                            + $"remained, so {D(sold.Quantity)} "
                            + $"{Esc(sold.Asset.Value)} was sold at {D(sold.Price)} (index {D(sold.IndexPrice)} at its "
                            + $"haircut) for {D(sold.Proceeds)} {Esc(sold.SettlementAsset.Value)}.",
                    DebtCovered covered =>
                        $"step {I(covered.Step)} (global position {position}): no collateral was left to sell; the "
                            + $"insurance fund paid "
                            + $"{D(covered.Amount)} {Esc(covered.Asset.Value)} of the debt.",
                    _ => Esc(e.GetType().Name),
                }
            );
        if (r.End?.Event is AccountBankrupt)
            WriteDeficits(console, r);
        console.MarkupLine(End(r));
    }

    /// <summary>Per instrument, in money: the slices' deficit and what covered it (as recorded; derived from the steps
    /// for a v1 record).</summary>
    private static void WriteDeficits(IAnsiConsole console, LiquidationReport r)
    {
        var table = new Table()
            .Title("deficits per instrument (USDT)")
            .AddColumns("instrument", "deficit", "insurance fund", "ADL", "socialised", "uncovered");
        if (r.End?.Event is AccountBankrupt { Deficits.Count: > 0 } recorded)
        {
            foreach (var d in recorded.Deficits)
                table.AddRow(
                    Esc(d.Symbol.Value),
                    D(d.Deficit),
                    D(d.CoveredByInsuranceFund),
                    $"{D(d.Deleveraged)} ({D(d.DeleveragedQuantity)} units)",
                    D(d.Socialized),
                    D(d.Uncovered)
                );
            console.Write(table);
            return;
        }
        foreach (var symbol in r.Steps.Select(s => s.Step.Symbol).Distinct())
        {
            var steps = r.Steps.Select(s => s.Step).Where(s => s.Symbol == symbol).ToArray();
            var slippage = r.Terms.GetValueOrDefault(symbol)?.Slippage ?? 0m;
            var fund = steps.Where(s => s.InsuranceFundDelta < 0m).Sum(s => -s.InsuranceFundDelta);
            var adl = steps.Where(s => s.Execution == Execution.Adl).Sum(s => Deficit(s, slippage));
            var socialised = r.Socialized.Where(l => l.Loss.Symbol == symbol).Sum(l => l.Loss.Amount);
            var deficit = steps
                .Where(s => s.Execution != Execution.Market || s.InsuranceFundDelta < 0m)
                .Sum(s => Deficit(s, slippage));
            table.AddRow(
                Esc(symbol.Value),
                D(deficit),
                D(fund),
                D(adl),
                D(socialised),
                D(Math.Max(deficit - fund - adl - socialised, 0m))
            );
        }
        console.Write(table);
    }

    /// <summary>
    /// A slice's deficit in money: |Δ| × how far the market fill lies beyond the bankruptcy price (0 when it does not);
    /// an ADL slice moved at the bankruptcy price, so its market fill is the mark moved by the slippage.
    /// </summary>
    private static decimal Deficit(PositionLiquidated s, decimal slippage)
    {
        var sells = s.Side == Side.Short;
        var fill =
            s.Execution != Execution.Adl ? s.FillPrice
            : sells ? s.MarkPrice * (1m - slippage)
            : s.MarkPrice * (1m + slippage);
        return Money.Debit(Math.Max(s.Quantity * (sells ? s.BankruptcyPrice - fill : fill - s.BankruptcyPrice), 0m));
    }

    private static string Why(PositionLiquidated s, LiquidationTerms? terms)
    {
        var rule = s.Rule switch
        {
            StepRule.TierStepDown =>
                $"step {s.Step}: {s.Symbol} was in bracket {s.TierBefore}, above bracket 1, so it was reduced by "
                    + $"{D(s.Quantity)} to {(s.TierAfter is { } a ? "bracket " + I(a) : "flat")}",
            StepRule.CloseStepDownCannotRestore =>
                $"step {s.Step}: {s.Symbol} was in bracket {s.TierBefore}, but no step-down to a lower bracket's cap "
                    + $"would leave "
                    + $"E > MM × (1 + buffer) even without a fee, so it was closed ({D(s.Quantity)})",
            _ => $"step {s.Step}: {s.Symbol} was in bracket 1, so it was closed ({D(s.Quantity)})",
        };
        var sign = s.Side == Side.Short ? "F − BP" : "BP − F";
        var slippage = terms is { Slippage: > 0m }
            ? $" = mark {D(s.MarkPrice)} moved {D(terms.Slippage)} against the account (slippage)"
            : "";
        return s.Execution switch
        {
            Execution.Market when s.InsuranceFundDelta >= 0m =>
                $"{rule}; filled at {D(s.FillPrice)}{slippage}; d = |Δ| × ({sign}) ≥ 0, so the fee "
                    + $"{FeeRule(s, terms)} = {D(s.Fee)} went to the insurance fund.",
            Execution.Market =>
                $"{rule}; filled at {D(s.FillPrice)}{slippage}, beyond the bankruptcy price {D(s.BankruptcyPrice)}: "
                    + $"d < 0, the insurance fund paid {D(-s.InsuranceFundDelta)}.",
            Execution.Adl =>
                $"{rule}; the insurance fund could not pay, so {D(s.Quantity)} went to opposite positions at the "
                    + $"bankruptcy price {D(s.BankruptcyPrice)} (ADL).",
            Execution.Socialized =>
                $"{rule}; the insurance fund could not pay; filled at {D(s.FillPrice)} and the deficit was charged "
                    + $"to profitable opposite positions.",
            _ => $"{rule}; nothing could cover the deficit: filled at {D(s.FillPrice)} and the loss stays on the "
                + $"account.",
        };
    }

    /// <summary>Which bound set the fee: the rate, <c>d</c>, or (a step-down) the slack that keeps the account
    /// standing.</summary>
    private static string FeeRule(PositionLiquidated s, LiquidationTerms? terms)
    {
        if (terms is null)
            return "min(rate × |Δ| × F, d)";
        var byRate = Money.Debit(terms.FeeRate * s.Quantity * s.FillPrice);
        var byMargin = Money.Credit(s.Quantity * Math.Abs(s.FillPrice - s.BankruptcyPrice));
        var bound =
            s.Fee == byRate ? $"the rate: {D(terms.FeeRate)} × {D(s.Quantity)} × {D(s.FillPrice)} rounded up"
            : s.Fee == byMargin ? $"d = {D(byMargin)} rounded down, below the rate's {D(byRate)}"
            : $"capped below the rate's {D(byRate)} and d = {D(byMargin)} so that E > MM × (1 + buffer) after the step";
        return $"min(rate × |Δ| × F, d) ({bound})";
    }

    private static string End(LiquidationReport r) =>
        r.End?.Event switch
        {
            LiquidationCompleted c =>
                $"After ({WireWords.Of(c.Outcome)}): equity {D(c.Equity)}, MM {D(c.MaintenanceMargin)}, margin ratio "
                    + $"{(c.MarginRatio is { } m ? D(m) : "n/a")}, "
                    + $"{c.Positions.Count} position(s) left; insurance fund {D(c.InsuranceFund)}.",
            AccountBankrupt b => $"After (bankrupt): equity {D(b.Equity)}; deficit covered by the insurance fund "
                + $"{D(b.CoveredByInsuranceFund)}, "
                + $"by ADL (per instrument above), socialised {D(b.Socialized)}, collateral sold for "
                + $"{D(b.CollateralProceeds)}, uncovered {D(b.Uncovered)}; "
                + $"insurance fund {D(b.InsuranceFund)}.",
            _ => "The liquidation has no recorded end.",
        };

    private static void Row(Table table, string figure, IEnumerable<string> values) =>
        table.AddRow([figure, .. values]);

    private static string D(decimal d) => Esc(LedgerOutput.Text(d));

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string s) => Markup.Escape(s);
}
