using System.Collections.Frozen;
using System.Globalization;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Projections;

/// <summary>What a read model may be asked for besides the position: an account, a symbol, a threshold, ladder
/// steps.</summary>
public sealed record QueryOptions(
    string? Account = null,
    string? Symbol = null,
    decimal AtRiskThreshold = 0.8m,
    int LadderLevels = 20,
    decimal LadderStep = 0.01m
);

/// <summary>
/// The read models of design §7 as pure folds over the log cut at a global position: the same log gives
/// the same rows on every store. Each is answered by folding the log from the start up to the position
/// asked (one pass, linear in the events up to it).
/// </summary>
public static class ReadModels
{
    /// <summary>The read models by name, with what each shows.</summary>
    public static readonly FrozenDictionary<string, string> Catalog = new Dictionary<string, string>(
        StringComparer.Ordinal
    )
    {
        ["journal"] = "every event's balanced postings (--account filters one ledger account, e.g. account:alice)",
        ["trial-balance"] = "balance of every ledger account per asset; the total per asset is zero",
        ["exposure"] = "open interest and notional per instrument, long and short",
        ["margin-distribution"] =
            "accounts with positions, and flat ones with negative equity (bad debt), by margin-ratio band",
        ["at-risk"] =
            "accounts with a position, or flat with negative equity (bad debt), whose margin ratio is at or above "
            + "--threshold (default 0.8), or undefined",
        ["insurance-fund"] = "every insurance-fund movement with the balance after it",
        ["liquidations"] = "every liquidation: trigger, outcome, steps, notional, insurance-fund delta",
        ["adl"] = "every auto-deleveraging fill",
        ["liquidation-ladder"] =
            "notional forced out if the mark of --symbol reaches each price level (--levels, --step)",
        ["account-timeline"] = "every event of --account with its margin state before and after",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Answers <paramref name="name"/> over <paramref name="log"/> (already cut at the position
    /// asked).</summary>
    /// <exception cref="ArgumentException">an unknown name or a missing option.</exception>
    public static QueryResult Query(string name, IReadOnlyList<LoggedEvent> log, QueryOptions options)
    {
        var position = log.Count == 0 ? 0 : log[^1].GlobalPosition;
        return name switch
        {
            "journal" => JournalRows(log, options, position),
            "trial-balance" => TrialBalance(log, position),
            "exposure" => Exposure(Fold(log), position),
            "margin-distribution" => MarginDistribution(Fold(log), position),
            "at-risk" => AtRisk(Fold(log), options.AtRiskThreshold, position),
            "insurance-fund" => InsuranceFund(log, position),
            "liquidations" => Liquidations(log, position),
            "adl" => Adl(log, position),
            "liquidation-ladder" => Ladder(
                Fold(log),
                Require(options.Symbol, "liquidation-ladder needs --symbol"),
                options,
                position
            ),
            "account-timeline" => Timeline(
                log,
                Parsed(AccountId.Parse(Require(options.Account, "account-timeline needs --account"))),
                position
            ),
            _ => throw new ArgumentException(
                $"unknown read model '{name}'; one of {string.Join(", ", Catalog.Keys.Order(StringComparer.Ordinal))}",
                nameof(name)
            ),
        };
    }

    private static string Require(string? value, string message) => value ?? throw new ArgumentException(message);

    private static T Parsed<T>(Checked<T> parsed) =>
        parsed.Is(out var value, out var problem) ? value : throw new ArgumentException(problem);

    private static LedgerState Fold(IEnumerable<LoggedEvent> log) =>
        log.Aggregate(LedgerState.Initial, (s, e) => LedgerEvolution.Evolve(s, e.Event));

    internal static string T(decimal d) => Rounding.Normalize(d).ToString(CultureInfo.InvariantCulture);

    internal static string? T(decimal? d) => d is { } v ? T(v) : null;

    internal static string T(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static QueryResult Result(string name, long position, string[] columns, IEnumerable<string?[]> rows) =>
        new(name, position, columns, [.. rows.Select(r => (IReadOnlyList<string?>)r)]);

    private static QueryResult JournalRows(IReadOnlyList<LoggedEvent> log, QueryOptions options, long position) =>
        Result(
            "journal",
            position,
            ["globalPosition", "eventType", "ledgerAccount", "asset", "amount"],
            log.SelectMany(Journal.Postings)
                .Where(p => options.Account is null || p.LedgerAccount == options.Account)
                .Select(p => new[] { T(p.GlobalPosition), p.EventType, p.LedgerAccount, p.Asset, T(p.Amount) })
        );

    private static QueryResult TrialBalance(IReadOnlyList<LoggedEvent> log, long position)
    {
        var balances = log.SelectMany(Journal.Postings)
            .GroupBy(p => (p.LedgerAccount, p.Asset))
            .Select(g => (g.Key.LedgerAccount, g.Key.Asset, Balance: g.Sum(p => p.Amount)))
            .OrderBy(b => b.Asset, StringComparer.Ordinal)
            .ThenBy(b => b.LedgerAccount, StringComparer.Ordinal)
            .ToArray();
        var totals = balances.GroupBy(b => b.Asset).Select(g => new[] { "total", g.Key, T(g.Sum(b => b.Balance)) });
        return Result(
            "trial-balance",
            position,
            ["ledgerAccount", "asset", "balance"],
            balances.Select(b => new[] { b.LedgerAccount, b.Asset, T(b.Balance) }).Concat(totals)
        );
    }

    private static QueryResult Exposure(LedgerState state, long position) =>
        Result(
            "exposure",
            position,
            [
                "symbol",
                "markPrice",
                "longOpenInterest",
                "shortOpenInterest",
                "longNotional",
                "shortNotional",
                "longHolders",
                "shortHolders",
            ],
            state.Market.Instruments.Values.Select(i => ExposureRow(state, i))
        );

    internal static string?[] ExposureRow(LedgerState state, Market.InstrumentState i)
    {
        var sizes = state.HoldersOf(i.Spec.Symbol).Select(a => state.Account(a).Size(i.Spec.Symbol)).ToArray();
        decimal longs = sizes.Where(s => s > 0m).Sum(),
            shorts = -sizes.Where(s => s < 0m).Sum(),
            mark = i.Mark ?? 0m;
        return
        [
            i.Spec.Symbol.Value,
            T(i.Mark),
            T(longs),
            T(shorts),
            T(longs * mark),
            T(shorts * mark),
            T(sizes.Count(s => s > 0m)),
            T(sizes.Count(s => s < 0m)),
        ];
    }

    private static readonly (string Band, decimal From, decimal To)[] Bands =
    [
        ("[0, 0.1)", 0m, 0.1m),
        ("[0.1, 0.25)", 0.1m, 0.25m),
        ("[0.25, 0.5)", 0.25m, 0.5m),
        ("[0.5, 0.75)", 0.5m, 0.75m),
        ("[0.75, 1)", 0.75m, 1m),
        ("[1, ∞) liquidatable", 1m, decimal.MaxValue),
    ];

    /// <summary>Accounts at stake: every account with a position, and every flat one with negative equity (bad
    /// debt).</summary>
    internal static IEnumerable<AccountMargin> AtStake(LedgerState state) =>
        state.Accounts.Values.Select(a => MarginCalculator.Compute(a, state.Market)).Where(IsAtStake);

    /// <summary>Whether an account holds a position or, flat, owes more than its collateral is worth.</summary>
    internal static bool IsAtStake(AccountMargin m) => !m.Positions.IsEmpty || m.Equity < 0m;

    private static QueryResult MarginDistribution(LedgerState state, long position) =>
        Result(
            "margin-distribution",
            position,
            ["band", "accounts", "equity", "maintenanceMargin", "notional"],
            DistributionRows(AtStake(state))
        );

    /// <summary>One row per margin-ratio band (always all of them) over the accounts at stake (bad debt lands in
    /// "undefined").</summary>
    internal static IEnumerable<string?[]> DistributionRows(IEnumerable<AccountMargin> atStake)
    {
        var margins = atStake.ToArray();
        var rows = Bands
            .Select(b =>
                (b.Band, Members: margins.Where(m => m.MarginRatio is { } r && r >= b.From && r < b.To).ToArray())
            )
            .Append((Band: "undefined (equity ≤ 0)", Members: margins.Where(m => m.MarginRatio is null).ToArray()));
        return rows.Select(r =>
            new[]
            {
                r.Band,
                T(r.Members.Length),
                T(r.Members.Sum(m => m.Equity)),
                T(r.Members.Sum(m => m.MaintenanceMargin)),
                T(r.Members.Sum(m => m.Positions.Sum(p => p.Notional))),
            }
        );
    }

    private static QueryResult AtRisk(LedgerState state, decimal threshold, long position) =>
        Result(
            "at-risk",
            position,
            ["account", "marginRatio", "equity", "maintenanceMargin", "freeCollateral", "liquidatable", "positions"],
            AtStake(state)
                .Where(m => m.MarginRatio is null || m.MarginRatio >= threshold)
                .OrderByDescending(m => m.MarginRatio ?? decimal.MaxValue)
                .ThenBy(m => m.Account)
                .Select(AtRiskRow)
        );

    internal static string?[] AtRiskRow(AccountMargin m) =>
        [
            m.Account.Value,
            T(m.MarginRatio),
            T(m.Equity),
            T(m.MaintenanceMargin),
            T(m.FreeCollateral),
            m.Liquidatable ? "true" : "false",
            T(m.Positions.Length),
        ];

    /// <summary>An account's margin state: the at-risk columns, then the notional of its positions.</summary>
    internal static string?[] MarginRow(AccountMargin m) => [.. AtRiskRow(m), T(m.Positions.Sum(p => p.Notional))];

    private static QueryResult InsuranceFund(IReadOnlyList<LoggedEvent> log, long position)
    {
        var balance = 0m;
        var rows = new List<string?[]>();
        foreach (var e in log)
            if (InsuranceFundRow(e, ref balance) is { } row)
                rows.Add(row);
        return Result(
            "insurance-fund",
            position,
            ["globalPosition", "kind", "liquidationId", "account", "delta", "balanceAfter"],
            rows
        );
    }

    /// <summary>The insurance-fund movement of an event, if any, with the running balance after it.</summary>
    internal static string?[]? InsuranceFundRow(LoggedEvent e, ref decimal balance)
    {
        (string Kind, string? Liquidation, string? Account, decimal Delta)? move = e.Event switch
        {
            InsuranceFundDeposited d when d.Asset == Venue.SettlementAsset => ("deposit", null, null, d.Amount),
            PositionLiquidated { InsuranceFundDelta: > 0m } p => (
                "fee",
                p.LiquidationId,
                p.Account.Value,
                p.InsuranceFundDelta
            ),
            PositionLiquidated { InsuranceFundDelta: < 0m } p => (
                "payout",
                p.LiquidationId,
                p.Account.Value,
                p.InsuranceFundDelta
            ),
            DebtCovered d when d.Asset == Venue.SettlementAsset => (
                "payout",
                d.LiquidationId,
                d.Account.Value,
                -d.Amount
            ),
            _ => null,
        };
        if (move is not { } m)
            return null;
        balance += m.Delta;
        return [T(e.GlobalPosition), m.Kind, m.Liquidation, m.Account, T(m.Delta), T(balance)];
    }

    private static QueryResult Liquidations(IReadOnlyList<LoggedEvent> log, long position) =>
        Result(
            "liquidations",
            position,
            [
                "liquidationId",
                "account",
                "triggerGlobalPosition",
                "triggerSymbol",
                "triggerPrice",
                "outcome",
                "steps",
                "liquidatedNotional",
                "insuranceFundDelta",
                "equityBefore",
            ],
            LiquidationReports.Build(log).Select(LiquidationRow)
        );

    internal static string?[] LiquidationRow(LiquidationReport r) =>
        [
            r.Id,
            r.Account.Value,
            T(r.TriggerPosition),
            r.Triggered.TriggerSymbol,
            T(r.Triggered.TriggerPrice),
            r.Outcome,
            T(r.Steps.Length),
            T(r.LiquidatedNotional),
            T(r.Steps.Sum(s => s.Step.InsuranceFundDelta)),
            T(r.Triggered.Equity),
        ];

    private static QueryResult Adl(IReadOnlyList<LoggedEvent> log, long position) =>
        Result(
            "adl",
            position,
            [
                "globalPosition",
                "liquidationId",
                "liquidatedAccount",
                "counterparty",
                "symbol",
                "quantity",
                "price",
                "realizedPnl",
                "rank",
                "score",
            ],
            log.Where(e => e.Event is PositionAutoDeleveraged)
                .Select(e => AdlRow(e.GlobalPosition, (PositionAutoDeleveraged)e.Event))
        );

    internal static string?[] AdlRow(long position, PositionAutoDeleveraged adl) =>
        [
            T(position),
            adl.LiquidationId,
            adl.LiquidatedAccount.Value,
            adl.Account.Value,
            adl.Symbol.Value,
            T(adl.Quantity),
            T(adl.Price),
            T(adl.RealizedPnl),
            T(adl.Rank),
            T(adl.Score),
        ];

    /// <summary>
    /// For each price level k steps below and above the mark (<c>mark × (1 ∓ k × step)</c>): the positions whose
    /// liquidation price (design §3, other marks held) the mark would reach, and their notional at that level —
    /// longs going down, shorts going up — each level cumulative from the mark.
    /// </summary>
    private static QueryResult Ladder(LedgerState state, string text, QueryOptions options, long position)
    {
        if (!state.Market.TryInstrument(text, out var symbol, out var instrument) || instrument.Mark is not { } mark)
            throw new ArgumentException($"no instrument '{text}' with a mark price at global position {position}");
        var positions = state
            .HoldersOf(symbol)
            .Select(a =>
                MarginCalculator.Compute(state.Account(a), state.Market).Positions.Single(p => p.Symbol == symbol)
            );
        return Result(
            "liquidation-ladder",
            position,
            ["symbol", "direction", "priceLevel", "positions", "quantity", "notionalAtLevel"],
            LadderRows(symbol, mark, positions, options)
        );
    }

    /// <summary>The ladder of one instrument from its mark and the margin of every position in it.</summary>
    internal static List<string?[]> LadderRows(
        Symbol symbol,
        decimal mark,
        IEnumerable<PositionMargin> inSymbol,
        QueryOptions options
    )
    {
        var positions = inSymbol.Where(p => p.LiquidationPrice is not null).ToArray();
        var rows = new List<string?[]>();
        foreach (var (direction, sign) in new[] { ("down", -1m), ("up", 1m) })
            for (var k = 1; k <= options.LadderLevels; k++)
            {
                var level = Rounding.Normalize(mark * (1m + sign * k * options.LadderStep));
                if (level <= 0m)
                    break;
                var hit = positions
                    .Where(p =>
                        sign < 0m
                            ? p.Size > 0m && p.LiquidationPrice >= level
                            : p.Size < 0m && p.LiquidationPrice <= level
                    )
                    .ToArray();
                rows.Add([
                    symbol.Value,
                    direction,
                    T(level),
                    T(hit.Length),
                    T(hit.Sum(p => Math.Abs(p.Size))),
                    T(hit.Sum(p => Math.Abs(p.Size)) * level),
                ]);
            }
        return rows;
    }

    internal static string?[] TimelineRow(LoggedEvent e, AccountMargin before, AccountMargin after) =>
        [
            T(e.GlobalPosition),
            WireNames.Of(e.Event),
            T(before.Equity),
            T(after.Equity),
            T(before.MaintenanceMargin),
            T(after.MaintenanceMargin),
            T(before.MarginRatio),
            T(after.MarginRatio),
            T(after.FreeCollateral),
            after.Liquidatable ? "true" : "false",
        ];

    private static QueryResult Timeline(IReadOnlyList<LoggedEvent> log, AccountId account, long position)
    {
        var stream = Streams.Account(account);
        var state = LedgerState.Initial;
        var rows = new List<string?[]>();
        foreach (var e in log)
        {
            var before = e.Stream == stream ? MarginCalculator.Compute(state.Account(account), state.Market) : null;
            state = LedgerEvolution.Evolve(state, e.Event);
            if (before is null)
                continue;
            rows.Add(TimelineRow(e, before, MarginCalculator.Compute(state.Account(account), state.Market)));
        }
        return Result(
            "account-timeline",
            position,
            [
                "globalPosition",
                "eventType",
                "equityBefore",
                "equityAfter",
                "maintenanceMarginBefore",
                "maintenanceMarginAfter",
                "marginRatioBefore",
                "marginRatioAfter",
                "freeCollateralAfter",
                "liquidatableAfter",
            ],
            rows
        );
    }
}
