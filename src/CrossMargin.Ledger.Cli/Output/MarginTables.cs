using CrossMargin.Ledger.Margin;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>The readable (non-JSON) rendering of margin states.</summary>
public static class MarginTables
{
    /// <summary>Writes the account summary and its positions.</summary>
    public static void Write(IAnsiConsole console, AccountMargin m, long globalPosition)
    {
        var summary = new Table()
            .Title($"[bold]{Markup.Escape(m.Account.Value)}[/] at global position {globalPosition}")
            .AddColumns("figure", "value");
        summary.Columns[1].RightAligned();
        foreach (var (asset, amount) in m.Balances)
            summary.AddRow($"balance {Markup.Escape(asset.Value)}", D(amount));
        summary.AddRow("collateral value", D(m.CollateralValue));
        summary.AddRow("unrealised PnL", D(m.UnrealizedPnl));
        summary.AddRow("equity", D(m.Equity));
        summary.AddRow("maintenance margin", D(m.MaintenanceMargin));
        summary.AddRow("initial margin", D(m.InitialMargin));
        summary.AddRow("free collateral", D(m.FreeCollateral));
        summary.AddRow("margin ratio", m.MarginRatio is { } r ? D(r) : "n/a");
        summary.AddRow("liquidatable", m.Liquidatable ? "[red]yes[/]" : "no");
        console.Write(summary);
        if (m.Positions.IsEmpty)
            return;
        var positions = new Table().Title("positions").AddColumn("figure");
        foreach (var p in m.Positions)
            positions.AddColumn(new TableColumn(Markup.Escape(p.Symbol.Value)).RightAligned());
        Row("size", p => D(p.Size));
        Row("entry price", p => D(p.EntryPrice));
        Row("mark price", p => D(p.MarkPrice));
        Row("notional", p => D(p.Notional));
        Row("tier", p => p.Tier.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("mmr", p => D(p.Mmr));
        Row("maintenance amount", p => D(p.MaintenanceAmount));
        Row("maintenance margin", p => D(p.MaintenanceMargin));
        Row("initial margin", p => D(p.InitialMargin));
        Row("leverage", p => D(p.Leverage));
        Row("unrealised PnL", p => D(p.UnrealizedPnl));
        Row("liquidation price", p => p.LiquidationPrice is { } lp ? D(lp) : "none");
        Row("bankruptcy price", p => p.BankruptcyPrice is { } bp ? D(bp) : "none");
        console.Write(positions);

        void Row(string figure, Func<PositionMargin, string> value) =>
            positions.AddRow([figure, .. m.Positions.Select(value)]);
    }

    private static string D(decimal value) => LedgerOutput.Text(value);
}
