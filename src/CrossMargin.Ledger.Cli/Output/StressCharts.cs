using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;
using ScottPlot;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>A chart of a stress report: its file name, what it shows (the HTML report's caption) and how to draw
/// it.</summary>
internal sealed record StressChart(string File, string Caption, Func<Plot> Draw);

/// <summary>
/// The charts of a study (ScottPlot, PNG): a shock run's price path, the notional liquidated per round and the fund
/// per round; the liquidation map; the Monte Carlo distributions of fund drawdown (VaR95 and ES95 marked) and
/// liquidated notional (LaR95 marked); the policy comparison. Figures are converted to <c>double</c> only here, for
/// drawing.
/// </summary>
internal static class StressCharts
{
    private const int Width = 900;
    private const int Height = 480;

    /// <summary>The charts of <paramref name="result"/>.</summary>
    public static IReadOnlyList<StressChart> Of(StressResult result) =>
        result switch
        {
            ShockResult shock => Shock(shock.Report),
            CompareResult compare => Compare(compare),
            MapResult map => [Map(map.Map)],
            MonteCarloResult monteCarlo => MonteCarlo(monteCarlo.Report),
            _ => [],
        };

    /// <summary>Draws every chart of <paramref name="result"/> into <paramref name="directory"/>; the files
    /// written.</summary>
    public static IReadOnlyList<(string Path, StressChart Chart)> Save(StressResult result, string directory) =>
        [
            .. Of(result)
                .Select(chart =>
                {
                    var path = System.IO.Path.Combine(directory, chart.File);
                    chart.Draw().SavePng(path, Width, Height);
                    return (path, chart);
                }),
        ];

    private static IReadOnlyList<StressChart> Shock(StressReport report)
    {
        var rounds = report.Rounds.Select(r => (double)r.Number).ToArray();
        var markets = report.Rounds.SelectMany(r => r.Prices.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return
        [
            new StressChart(
                "price-path.png",
                "Each market's price before the run (round 0) and after each round, as a percentage of its price "
                    + "before the run: the shock in round 1, then what forced sales did.",
                () =>
                {
                    var plot = new Plot();
                    foreach (var market in markets)
                    {
                        var price = report.PricesBefore[market];
                        var level = new List<double> { 100.0 };
                        var xs = new List<double> { 0.0 };
                        foreach (var r in report.Rounds)
                        {
                            if (r.Prices.TryGetValue(market, out var p))
                                price = p;
                            xs.Add(r.Number);
                            level.Add((double)(price / report.PricesBefore[market]) * 100.0);
                        }
                        var line = plot.Add.Scatter(xs.ToArray(), level.ToArray());
                        line.LegendText = market;
                        line.LineWidth = 2;
                        line.MarkerSize = 7;
                    }
                    plot.Title("Price path");
                    plot.XLabel("round (0: before the run)");
                    plot.YLabel("price, % of the price before the run");
                    plot.Axes.SetLimitsX(-0.3, rounds.Length + 0.3);
                    RoundTicks(plot, rounds.Length);
                    plot.ShowLegend(Alignment.UpperRight);
                    return plot;
                }
            ),
            new StressChart(
                "liquidations.png",
                "Notional liquidated in each round, long and short positions, valued at the prices before the run.",
                () =>
                {
                    var plot = new Plot();
                    var longs = plot.Add.Bars(
                        rounds.Select(r => r - 0.2).ToArray(),
                        [.. report.Rounds.Select(r => (double)r.LiquidatedLongNotional)]
                    );
                    longs.LegendText = "long positions";
                    longs.Color = Colors.FireBrick;
                    var shorts = plot.Add.Bars(
                        rounds.Select(r => r + 0.2).ToArray(),
                        [.. report.Rounds.Select(r => (double)r.LiquidatedShortNotional)]
                    );
                    shorts.LegendText = "short positions";
                    shorts.Color = Colors.SeaGreen;
                    foreach (var bar in longs.Bars.Concat(shorts.Bars))
                        bar.Size = 0.4;
                    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                        rounds,
                        [.. rounds.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture))]
                    );
                    plot.Axes.Margins(bottom: 0);
                    plot.Title("Notional liquidated per round");
                    plot.XLabel("round");
                    plot.YLabel("notional (at the prices before the run)");
                    plot.ShowLegend(Alignment.UpperRight);
                    return plot;
                }
            ),
            new StressChart(
                "insurance-fund.png",
                "The insurance fund's balance before the run (round 0) and after each round.",
                () =>
                {
                    var plot = new Plot();
                    double[] xs = [0.0, .. rounds];
                    double[] ys =
                    [
                        (double)report.InsuranceFundBefore,
                        .. report.Rounds.Select(r => (double)r.InsuranceFund),
                    ];
                    var line = plot.Add.Scatter(xs, ys);
                    line.LineWidth = 2;
                    line.LegendText = "insurance fund";
                    plot.Title("Insurance fund per round");
                    plot.XLabel("round (0: before the run)");
                    plot.YLabel("balance (settlement asset)");
                    plot.Axes.SetLimits(-0.3, rounds.Length + 0.3, 0, Math.Max(ys.Max() * 1.1, 1.0));
                    RoundTicks(plot, rounds.Length);
                    return plot;
                }
            ),
        ];
    }

    private static StressChart Map(LiquidationMapReport map) =>
        new(
            "liquidation-map.png",
            $"Liquidation map of {map.Spec.Market}: the notional liquidated on the way from its price "
                + $"({StressResult.Figure(map.PriceBefore)}) to each level, longs below it and shorts above it, at the "
                + "prices before.",
            () =>
            {
                var plot = new Plot();
                var below = map.Below.Select(l => ((double)l.Price, (double)l.LongNotional)).ToList();
                var above = map.Above.Select(l => ((double)l.Price, (double)l.ShortNotional)).ToList();
                var width = (double)(map.PriceBefore * map.Spec.Step) * 0.8;
                var longs = plot.Add.Bars(below.Select(b => b.Item1).ToArray(), below.Select(b => b.Item2).ToArray());
                longs.LegendText = "longs liquidated on the way down";
                longs.Color = Colors.FireBrick;
                foreach (var bar in longs.Bars)
                    bar.Size = width;
                var shorts = plot.Add.Bars(above.Select(b => b.Item1).ToArray(), above.Select(b => b.Item2).ToArray());
                shorts.LegendText = "shorts liquidated on the way up";
                shorts.Color = Colors.SeaGreen;
                foreach (var bar in shorts.Bars)
                    bar.Size = width;
                var now = plot.Add.VerticalLine((double)map.PriceBefore);
                now.LegendText = "price now";
                now.Color = Colors.Black;
                now.LinePattern = LinePattern.Dashed;
                plot.Axes.Margins(bottom: 0);
                plot.Title($"Liquidation map of {map.Spec.Market} (cumulative)");
                plot.XLabel("price");
                plot.YLabel("notional liquidated on the way");
                plot.ShowLegend(Alignment.UpperCenter);
                return plot;
            }
        );

    private static IReadOnlyList<StressChart> MonteCarlo(MonteCarloReport report) =>
        [
            Histogram(
                "fund-drawdown.png",
                $"Distribution of the insurance fund's drawdown over {report.Paths.Length:N0} Monte Carlo paths (fund "
                    + $"before: {StressResult.Figure(report.InsuranceFundBefore)}), with VaR95 and ES95 marked.",
                "Insurance fund drawdown per path",
                "drawdown (settlement asset)",
                [.. report.Paths.Select(p => (double)p.FundDrawdown)],
                [("VaR95", (double)report.FundVaR95), ("ES95", (double)report.FundES95)],
                (double)report.InsuranceFundBefore
            ),
            Histogram(
                "liquidated-notional.png",
                $"Distribution of the notional liquidated over {report.Paths.Length:N0} Monte Carlo paths, with LaR95 "
                    + "marked.",
                "Notional liquidated per path",
                "notional liquidated (at the prices before)",
                [.. report.Paths.Select(p => (double)p.LiquidatedNotional)],
                [("LaR95", (double)report.LaR95)]
            ),
        ];

    private static StressChart Histogram(
        string file,
        string caption,
        string title,
        string axis,
        double[] values,
        IReadOnlyList<(string Name, double Value)> marks,
        double? cap = null
    ) =>
        new(
            file,
            caption,
            () =>
            {
                var plot = new Plot();
                const int bins = 40;
                var (low, high) = (values.Min(), values.Max());
                if (high <= low)
                    high = low + 1.0;
                var width = (high - low) / bins;
                var counts = new double[bins];
                foreach (var v in values)
                    counts[Math.Min(bins - 1, (int)((v - low) / width))]++;
                var bars = plot.Add.Bars(
                    Enumerable.Range(0, bins).Select(i => low + (i + 0.5) * width).ToArray(),
                    counts
                );
                foreach (var bar in bars.Bars)
                    bar.Size = width;
                bars.LegendText = "paths";
                Color[] palette = [Colors.FireBrick, Colors.DarkOrange];
                foreach (var ((name, value), i) in marks.Select((m, i) => (m, i)))
                {
                    var line = plot.Add.VerticalLine(value);
                    line.LegendText = $"{name} {StressResult.Figure((decimal)value)}";
                    line.Color = palette[i % palette.Length];
                    line.LineWidth = 2;
                    line.LinePattern = LinePattern.Dashed;
                }
                if (cap is { } limit)
                {
                    var line = plot.Add.VerticalLine(limit);
                    line.LegendText = $"the whole fund {StressResult.Figure((decimal)limit)}";
                    line.Color = Colors.Gray;
                    line.LineWidth = 1;
                }
                plot.Axes.Margins(bottom: 0);
                plot.Title(title);
                plot.XLabel(axis);
                plot.YLabel("paths");
                plot.ShowLegend(Alignment.UpperRight);
                return plot;
            }
        );

    private static IReadOnlyList<StressChart> Compare(CompareResult compare) =>
        [
            Grouped(
                compare.Outcomes,
                "policies-liquidations.png",
                "Notional liquidated under each cascade-prevention policy on the same shock (at the prices before the "
                    + "run).",
                "Notional liquidated, by policy",
                [("notional liquidated", r => r.LiquidatedNotional, Colors.SteelBlue)]
            ),
            Grouped(
                compare.Outcomes,
                "policies-losses.png",
                "What each policy leaves to the insurance fund and beyond it on the same shock: the fund's drawdown, "
                    + "the notional auto-deleveraged, and the loss socialised or left uncovered.",
                "Fund drawdown and losses past the fund, by policy",
                [
                    ("fund drawdown", r => r.FundDrawdown, Colors.DarkOrange),
                    ("ADL notional", r => r.AdlNotional, Colors.FireBrick),
                    ("socialised + uncovered", r => r.Socialized + r.Uncovered, Colors.Purple),
                ]
            ),
        ];

    private static StressChart Grouped(
        IReadOnlyList<PolicyOutcome> outcomes,
        string file,
        string caption,
        string title,
        (string Name, Func<StressReport, decimal> Figure, Color Color)[] figures
    ) =>
        new(
            file,
            caption,
            () =>
            {
                var plot = new Plot();
                var group = figures.Length + 1;
                foreach (var (figure, k) in figures.Select((f, k) => (f, k)))
                {
                    var bars = plot.Add.Bars(
                        outcomes.Select((_, i) => (double)(i * group + k)).ToArray(),
                        outcomes.Select(o => (double)figure.Figure(o.Report)).ToArray()
                    );
                    bars.LegendText = figure.Name;
                    bars.Color = figure.Color;
                }
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                    outcomes.Select((_, i) => i * group + (figures.Length - 1) / 2.0).ToArray(),
                    outcomes.Select(o => o.Case.Name).ToArray()
                );
                plot.Axes.Margins(bottom: 0, top: 0.15);
                plot.Title(title);
                plot.YLabel("settlement asset");
                plot.ShowLegend(Alignment.UpperLeft);
                return plot;
            }
        );

    /// <summary>Whole-number ticks for rounds 0 … <paramref name="last"/>.</summary>
    private static void RoundTicks(Plot plot, int last) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, last + 1).Select(i => (double)i)],
            [
                .. Enumerable
                    .Range(0, last + 1)
                    .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]
        );
}
