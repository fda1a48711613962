using System.Collections.Frozen;
using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Projections;

/// <summary>How a column is stored: text, a whole number, or an exact decimal (PostgreSQL <c>numeric</c>).</summary>
public enum ColumnKind
{
    /// <summary>Text.</summary>
    Text,

    /// <summary>A whole number (positions, counts).</summary>
    Whole,

    /// <summary>An exact decimal (amounts, prices, ratios).</summary>
    Exact,
}

/// <summary>A column of a projection table; nullable columns may hold no value.</summary>
public sealed record ProjectionColumn(string Name, ColumnKind Kind, bool Nullable = false);

/// <summary>
/// A projection table (design §7). The first <see cref="KeyLength"/> columns are its primary key.
/// <see cref="Replaced"/> tables are small and rewritten whole after each batch of events; the others
/// are upserted row by row. <see cref="Projection"/> is the name <c>ledger projections rebuild</c> takes.
/// </summary>
public sealed record ProjectionTable(
    string Projection,
    string Name,
    string Description,
    ImmutableArray<ProjectionColumn> Columns,
    int KeyLength,
    bool Replaced = false
);

/// <summary>A batch's effect on one table: rows to upsert by key, or (for a replaced table) its complete new
/// contents.</summary>
public sealed record TableChange(ProjectionTable Table, IReadOnlyList<string?[]> Rows);

/// <summary>The projection tables, the same on every store.</summary>
public static class ProjectionTables
{
    private static ProjectionColumn C(string name, ColumnKind kind = ColumnKind.Text, bool nullable = false) =>
        new(name, kind, nullable);

    private const ColumnKind D = ColumnKind.Exact,
        I = ColumnKind.Whole;

    /// <summary>Double entry: every event's balanced postings.</summary>
    public static readonly ProjectionTable Journal = new(
        "journal",
        "journal",
        "every event's balanced postings; each global position sums to zero per asset",
        [C("global_position", I), C("line", I), C("event_type"), C("ledger_account"), C("asset"), C("amount", D)],
        2
    );

    /// <summary>The balance of every ledger account per asset.</summary>
    public static readonly ProjectionTable TrialBalance = new(
        "trial-balance",
        "trial_balance",
        "balance of every ledger account per asset (the total per asset is zero)",
        [C("ledger_account"), C("asset"), C("balance", D)],
        2
    );

    /// <summary>Open interest and notional per instrument.</summary>
    public static readonly ProjectionTable Exposure = new(
        "exposure",
        "exposure",
        "open interest and notional per instrument, long and short",
        [
            C("symbol"),
            C("mark_price", D, true),
            C("long_open_interest", D),
            C("short_open_interest", D),
            C("long_notional", D),
            C("short_notional", D),
            C("long_holders", I),
            C("short_holders", I),
        ],
        1,
        Replaced: true
    );

    /// <summary>Every account's cross-margin state.</summary>
    public static readonly ProjectionTable AccountMargin = new(
        "account-margin",
        "account_margin",
        "every account's margin state (margin_ratio null: equity ≤ 0); the at-risk list filters it",
        [
            C("account"),
            C("margin_ratio", D, true),
            C("equity", D),
            C("maintenance_margin", D),
            C("free_collateral", D),
            C("liquidatable"),
            C("positions", I),
            C("notional", D),
        ],
        1
    );

    /// <summary>Accounts with positions, and flat accounts with negative equity, by margin-ratio band.</summary>
    public static readonly ProjectionTable MarginDistribution = new(
        "margin-distribution",
        "margin_distribution",
        "accounts with positions, and flat ones with negative equity (bad debt), by margin-ratio band",
        [C("band_order", I), C("band"), C("accounts", I), C("equity", D), C("maintenance_margin", D), C("notional", D)],
        1,
        Replaced: true
    );

    /// <summary>Every insurance-fund movement.</summary>
    public static readonly ProjectionTable InsuranceFund = new(
        "insurance-fund",
        "insurance_fund",
        "every insurance-fund movement with the balance after it",
        [
            C("global_position", I),
            C("kind"),
            C("liquidation_id", nullable: true),
            C("account", nullable: true),
            C("delta", D),
            C("balance_after", D),
        ],
        1
    );

    /// <summary>Every liquidation, one row each.</summary>
    public static readonly ProjectionTable Liquidations = new(
        "liquidations",
        "liquidations",
        "every liquidation: trigger, outcome, steps, notional, insurance-fund delta",
        [
            C("liquidation_id"),
            C("account"),
            C("trigger_global_position", I),
            C("trigger_symbol"),
            C("trigger_price", D),
            C("outcome"),
            C("steps", I),
            C("liquidated_notional", D),
            C("insurance_fund_delta", D),
            C("equity_before", D),
        ],
        1
    );

    /// <summary>Every auto-deleveraging fill.</summary>
    public static readonly ProjectionTable Adl = new(
        "adl",
        "adl",
        "every auto-deleveraging fill",
        [
            C("global_position", I),
            C("liquidation_id"),
            C("liquidated_account"),
            C("counterparty"),
            C("symbol"),
            C("quantity", D),
            C("price", D),
            C("realized_pnl", D),
            C("rank", I),
            C("score", D),
        ],
        1
    );

    /// <summary>The liquidation-price ladder per instrument, 20 levels of 1 % each way.</summary>
    public static readonly ProjectionTable LiquidationLadder = new(
        "liquidation-ladder",
        "liquidation_ladder",
        "notional forced out if the mark reaches each level (20 levels of 1 % each way)",
        [
            C("symbol"),
            C("direction"),
            C("level", I),
            C("price_level", D),
            C("positions", I),
            C("quantity", D),
            C("notional_at_level", D),
        ],
        3,
        Replaced: true
    );

    /// <summary>Every account event with the account's margin state before and after.</summary>
    public static readonly ProjectionTable AccountTimeline = new(
        "account-timeline",
        "account_timeline",
        "every account event with its margin state before and after",
        [
            C("account"),
            C("global_position", I),
            C("event_type"),
            C("equity_before", D),
            C("equity_after", D),
            C("maintenance_margin_before", D),
            C("maintenance_margin_after", D),
            C("margin_ratio_before", D, true),
            C("margin_ratio_after", D, true),
            C("free_collateral_after", D),
            C("liquidatable_after"),
        ],
        2
    );

    /// <summary>Every table, in the order they are written.</summary>
    public static readonly ImmutableArray<ProjectionTable> All =
    [
        Journal,
        TrialBalance,
        Exposure,
        AccountMargin,
        MarginDistribution,
        InsuranceFund,
        Liquidations,
        Adl,
        LiquidationLadder,
        AccountTimeline,
    ];

    /// <summary>The tables by projection name.</summary>
    public static readonly FrozenDictionary<string, ProjectionTable> ByProjection = All.ToFrozenDictionary(
        t => t.Projection,
        StringComparer.Ordinal
    );

    /// <summary>The table named <paramref name="projection"/>.</summary>
    /// <exception cref="ArgumentException">no such projection.</exception>
    public static ProjectionTable Of(string projection) =>
        ByProjection.TryGetValue(projection, out var table)
            ? table
            : throw new ArgumentException(
                $"unknown projection '{projection}'; one of {string.Join(", ", All.Select(t => t.Projection))}",
                nameof(projection)
            );
}

/// <summary>
/// The projections of design §7 as one incremental, pure fold: <see cref="Apply"/> each event in global
/// order, then <see cref="Flush"/> the rows the batch changed. Rows equal what <see cref="ReadModels"/>
/// answers for the same log (the same row builders), plus key columns. The fold keeps the ledger state
/// in memory; a runner that starts mid-log first folds the events before its checkpoint with
/// <see cref="Apply"/> and discards that flush.
/// </summary>
public sealed class ProjectionFold
{
    private static readonly QueryOptions LadderOptions = new();
    private readonly Dictionary<(string Account, string Asset), decimal> balances = [];

    // sorted by account, as the ledger state is: sums over accounts round in one order on every run
    private readonly SortedDictionary<AccountId, AccountMargin> margins = [];
    private readonly LiquidationReportFold liquidations = new();
    private readonly Dictionary<ProjectionTable, Dictionary<string, string?[]>> pending = [];
    private readonly HashSet<AccountId> touchedAccounts = [];
    private readonly HashSet<string> touchedLiquidations = new(StringComparer.Ordinal);
    private bool marketTouched;
    private bool anyEvent;
    private decimal fund;

    /// <summary>The ledger state after the last event applied.</summary>
    public LedgerState State { get; private set; } = LedgerState.Initial;

    /// <summary>The global position of the last event applied (0 before any).</summary>
    public long Position { get; private set; }

    /// <summary>Folds one event.</summary>
    /// <exception cref="ArgumentException">the event is not after <see cref="Position"/>.</exception>
    public void Apply(LoggedEvent e)
    {
        if (e.GlobalPosition <= Position)
            throw new ArgumentException(
                $"event at global position {e.GlobalPosition} does not follow {Position}",
                nameof(e)
            );
        anyEvent = true;
        var line = 0;
        foreach (var p in Journal.Postings(e))
        {
            Upsert(
                ProjectionTables.Journal,
                [
                    ReadModels.T(p.GlobalPosition),
                    ReadModels.T(++line),
                    p.EventType,
                    p.LedgerAccount,
                    p.Asset,
                    ReadModels.T(p.Amount),
                ]
            );
            var balance = balances[(p.LedgerAccount, p.Asset)] =
                balances.GetValueOrDefault((p.LedgerAccount, p.Asset)) + p.Amount;
            Upsert(ProjectionTables.TrialBalance, [p.LedgerAccount, p.Asset, ReadModels.T(balance)]);
        }
        var account = Streams.AccountOf(e.Stream);
        var before = account is { } subject ? MarginCalculator.Compute(State.Account(subject), State.Market) : null;
        State = LedgerEvolution.Evolve(State, e.Event);
        Position = e.GlobalPosition;
        if (account is { } touched)
        {
            touchedAccounts.Add(touched);
            Upsert(
                ProjectionTables.AccountTimeline,
                [
                    touched.Value,
                    .. ReadModels.TimelineRow(
                        e,
                        before!,
                        MarginCalculator.Compute(State.Account(touched), State.Market)
                    ),
                ]
            );
        }
        else if (
            e.Stream.StartsWith("instrument-", StringComparison.Ordinal)
            || e.Stream.StartsWith("asset-", StringComparison.Ordinal)
        )
            marketTouched = true;
        if (ReadModels.InsuranceFundRow(e, ref fund) is { } fundRow)
            Upsert(ProjectionTables.InsuranceFund, fundRow);
        if (e.Event is PositionAutoDeleveraged adl)
            Upsert(ProjectionTables.Adl, ReadModels.AdlRow(e.GlobalPosition, adl));
        if (liquidations.Apply(e) is { } id)
            touchedLiquidations.Add(id);
    }

    /// <summary>The changes of every event applied since the last flush, table by table.</summary>
    public IReadOnlyList<TableChange> Flush()
    {
        if (!anyEvent)
            return [];
        foreach (var a in marketTouched ? State.Accounts.Keys : touchedAccounts)
        {
            var margin = margins[a] = MarginCalculator.Compute(State.Account(a), State.Market);
            Upsert(ProjectionTables.AccountMargin, ReadModels.MarginRow(margin));
        }
        foreach (var id in touchedLiquidations)
            Upsert(ProjectionTables.Liquidations, ReadModels.LiquidationRow(liquidations[id]));
        var changes = new List<TableChange>();
        foreach (var table in ProjectionTables.All)
        {
            IReadOnlyList<string?[]>? rows = table switch
            {
                _ when table == ProjectionTables.Exposure =>
                [
                    .. State.Market.Instruments.Values.Select(i => ReadModels.ExposureRow(State, i)),
                ],
                _ when table == ProjectionTables.MarginDistribution =>
                [
                    .. ReadModels
                        .DistributionRows(margins.Values.Where(ReadModels.IsAtStake))
                        .Select((r, i) => (string?[])[ReadModels.T(i + 1), .. r]),
                ],
                _ when table == ProjectionTables.LiquidationLadder => [.. Ladder()],
                _ => pending.TryGetValue(table, out var byKey) ? [.. byKey.Values] : null,
            };
            if (rows is not null && (table.Replaced || rows.Count > 0))
                changes.Add(new TableChange(table, rows));
        }
        pending.Clear();
        touchedAccounts.Clear();
        touchedLiquidations.Clear();
        marketTouched = anyEvent = false;
        return changes;
    }

    private IEnumerable<string?[]> Ladder()
    {
        foreach (var instrument in State.Market.Instruments.Values)
        {
            if (instrument.Mark is not { } mark)
                continue;
            var symbol = instrument.Spec.Symbol;
            var positions = State.HoldersOf(symbol).Select(a => margins[a].Positions.Single(p => p.Symbol == symbol));
            var levels = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var row in ReadModels.LadderRows(symbol, mark, positions, LadderOptions))
            {
                var level = levels[row[1]!] = levels.GetValueOrDefault(row[1]!) + 1; // 1..n in each direction
                yield return [row[0], row[1], ReadModels.T(level), .. row[2..]];
            }
        }
    }

    private void Upsert(ProjectionTable table, string?[] row)
    {
        if (!pending.TryGetValue(table, out var byKey))
            pending[table] = byKey = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        byKey[string.Join('\u001f', row.Take(table.KeyLength))] = row;
    }
}
