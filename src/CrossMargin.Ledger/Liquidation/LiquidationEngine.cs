using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// The liquidation process manager (design §4), pure: <see cref="React"/> turns a price or risk-parameter
/// event into <see cref="LiquidateAccount"/> commands for the exposed, liquidatable accounts in account-id
/// order; <see cref="Cascade"/> runs them one after another against the one shared insurance fund, each
/// decided on the state the previous ones left, with the per-price-event caps carried along. Accounts
/// that ADL or socialised loss touched are evaluated again afterwards (in id order, until none is
/// liquidatable), so no account the engine leaves behind is liquidatable unless a cap stopped it, or it is
/// flat bad debt that nothing can settle (no collateral to sell, an empty fund).
/// The application appends the price event and its cascade as one command, so the derived events
/// always follow their trigger and a replay of the inputs re-derives them exactly.
/// </summary>
public static class LiquidationEngine
{
    /// <summary>Whether the engine derived the event (re-execution re-derives these; everything else is
    /// input).</summary>
    public static bool IsDerived(ILedgerEvent e) =>
        e
            is LiquidationTriggered
                or PositionLiquidated
                or PositionAutoDeleveraged
                or LossSocialized
                or CollateralSold
                or DebtCovered
                or InsuranceFundChanged
                or LiquidationCompleted
                or AccountBankrupt;

    /// <summary>Whether the event moves a mark, an index price or a risk parameter.</summary>
    public static bool IsTrigger(ILedgerEvent e) => e is ILiquidationTrigger;

    /// <summary>The trigger an event is (read on the state after it), or null when it moves no price or risk
    /// parameter.</summary>
    public static LiquidationTrigger? TriggerOf(ILedgerEvent e, LedgerState state)
    {
        (string Subject, decimal Price)? moved = e switch
        {
            MarkPriceUpdated m => (m.Symbol.Value, m.Price),
            IndexPriceUpdated i => (i.Asset.Value, i.Price),
            InstrumentParametersChanged p => (p.Symbol.Value, state.Market.Instruments[p.Symbol].Mark ?? 0m),
            CollateralRatiosChanged r => (r.Asset.Value, state.Market.Collateral[r.Asset].IndexPrice ?? 0m),
            _ => null,
        };
        return moved is { } t && e is ILiquidationTrigger trigger
            ? new LiquidationTrigger(WireNames.Of(e), t.Subject, t.Price) { RulesVersion = trigger.RulesVersion }
            : null;
    }

    /// <summary>Accounts exposed to the trigger, in account-id order: holders of the instrument, or position holders
    /// with a balance of the collateral asset.</summary>
    public static IReadOnlyList<AccountId> Exposed(LedgerState state, LiquidationTrigger trigger)
    {
        if (state.Market.TryInstrument(trigger.Symbol, out var symbol, out _))
            return [.. state.HoldersOf(symbol)];
        // every holder of the collateral asset: a position holder's equity moves with it, and so does a flat account's
        // that owes settlement debt against it
        return [.. state.Accounts.Values.Where(IsExposed(state, trigger)).Select(a => a.Id).Order()];
    }

    /// <summary>The commands the engine sends for the state right after the trigger (what <see cref="Cascade"/> starts
    /// from).</summary>
    public static IReadOnlyList<LiquidateAccount> React(LedgerState state, LiquidationTrigger trigger) =>
        Liquidatable(Indexed(state), trigger).Commands;

    /// <summary>
    /// <paramref name="state"/> with its trigger index, built when the state has none yet (the first trigger a
    /// process answers after a replay pays for it once; the fold keeps it from then on).
    /// </summary>
    public static LedgerState Indexed(LedgerState state) =>
        state.Triggers is null ? state with { Triggers = TriggerIndex.Build(state) } : state;

    /// <summary>
    /// The liquidatable accounts exposed to the trigger, in account-id order, as commands, and how many accounts it
    /// took to find them: the index's liquidatable set filtered by exposure, or with
    /// <see cref="TriggerIndex.FullScan"/> every exposed account evaluated by the kernel. Both give the same accounts:
    /// the index is exact.
    /// </summary>
    private static (IReadOnlyList<LiquidateAccount> Commands, int Evaluated) Liquidatable(
        LedgerState state,
        LiquidationTrigger trigger
    )
    {
        var caps = LiquidationCaps.For(state);
        if (state.Triggers is not { IsFullScan: false } index)
        {
            var exposed = Exposed(state, trigger);
            return (
                [
                    .. exposed
                        .Where(a => MarginKernel.Evaluate(state.Account(a), state.Market).Liquidatable)
                        .Select(a => new LiquidateAccount(a, trigger, caps)),
                ],
                exposed.Count
            );
        }
        var isExposed = IsExposed(state, trigger);
        var candidates = index.Liquidatable;
        return (
            [.. candidates.Where(a => isExposed(state.Account(a))).Select(a => new LiquidateAccount(a, trigger, caps))],
            candidates.Count
        );
    }

    /// <summary>Whether an account is exposed to the trigger (see <see cref="Exposed"/>).</summary>
    private static Func<AccountState, bool> IsExposed(LedgerState state, LiquidationTrigger trigger)
    {
        if (state.Market.TryInstrument(trigger.Symbol, out var symbol, out _))
            return a => a.Positions.ContainsKey(symbol);
        var asset = Asset.Parse(trigger.Symbol).Value;
        return a => a.Balance(asset) != 0m;
    }

    /// <summary>
    /// Every liquidation event the trigger causes, decided in order, with the state after them;
    /// <paramref name="state"/> is the state right after the trigger.
    /// </summary>
    public static CascadeResult Cascade(LedgerState state, LiquidationTrigger trigger)
    {
        var events = ImmutableArray.CreateBuilder<Emitted>();
        state = Indexed(state);
        var caps = LiquidationCaps.For(state);
        var (commands, evaluated) = Liquidatable(state, trigger);
        // the cascade asks the index nothing more (ADL's counterparties are evaluated afresh below), so the
        // liquidated and deleveraged accounts are re-armed once at its end instead of at each of their events
        var index = state.Triggers!;
        if (!index.IsFullScan)
            state = state with { Triggers = null };
        while (commands.Count > 0)
        {
            var touched = new SortedSet<AccountId>();
            foreach (var command in commands)
            {
                // decided on the state the previous liquidations left, with what the caps still allow
                var liquidated = LiquidationDecider.Decide(command with { Caps = caps }, state);
                if (liquidated.Decision is not Decision.Accepted accepted)
                    continue;
                state = liquidated.State;
                events.AddRange(accepted.Events);
                foreach (var e in accepted.Events)
                {
                    caps = caps.After(e.Event);
                    // ADL and socialised loss move other accounts: they are evaluated again once this round is done
                    if (e.Event is PositionAutoDeleveraged d)
                        touched.Add(d.Account);
                    else if (e.Event is LossSocialized l)
                        touched.Add(l.Account);
                }
            }
            evaluated += touched.Count;
            commands =
            [
                .. touched
                    .Where(a => MarginKernel.Evaluate(state.Account(a), state.Market).Liquidatable)
                    .Select(a => new LiquidateAccount(a, trigger, caps)),
            ];
        }
        if (!index.IsFullScan)
            state = state with { Triggers = index.AfterMoves(state, events.Select(e => e.Event)) };
        // the ADL rankings hold for this trigger's prices only
        return new CascadeResult(
            events.ToImmutable(),
            state.Adl is null ? state : state with { Adl = null },
            evaluated
        );
    }
}

/// <summary>
/// What a cascade appended, the state it leaves, and how many accounts it considered: the exposed accounts (with
/// <see cref="TriggerIndex.FullScan"/>) or the index's liquidatable ones, plus those ADL or socialised loss touched.
/// The index's own evaluations are counted by <see cref="TriggerIndex.Evaluations"/>.
/// </summary>
public sealed record CascadeResult(ImmutableArray<Emitted> Events, LedgerState State, int AccountsEvaluated);
