using System.Collections.Immutable;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Ledger;

/// <summary>A command's decision and the state it leads to (the state it started from when it appends
/// nothing).</summary>
public sealed record Transition(Decision Decision, LedgerState State);

/// <summary>
/// The runtime loop: <see cref="Run"/> decides a command, lets the liquidation engine react to every price or
/// risk-parameter event it produced, guards the append and returns the state it all leads to. It and
/// <see cref="Fold(LedgerState, IEnumerable{Emitted})"/> are the only code that folds decided events: the session, the
/// cascade, re-execution,
/// the benches and the test DSL call them.
/// </summary>
public static class LedgerRuntime
{
    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="state"/>: its events followed by the cascade of each
    /// trigger among them, decided as one. The invariants are checked on the state they lead to
    /// (<see cref="Invariants.Guard"/>); a violation is a rejection that names the invariant, never a broken log.
    /// An arithmetic overflow (a figure beyond what a <see cref="decimal"/> holds) is a rejection too, so no
    /// input can crash the caller; listing limits are meant to keep every figure far from it.
    /// </summary>
    public static Transition Run(LedgerState state, LedgerCommand command)
    {
        try
        {
            var ran = React(state, command);
            if (ran.Decision is not Decision.Accepted accepted)
                return ran;
            var problems = Invariants.Guard(ran.State, accepted.Events);
            return problems.Count == 0
                ? ran
                : new Transition(Rejections.InvariantViolated(CommandName(command), problems), state);
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            return new Transition(Rejections.ArithmeticLimit(CommandName(command), e.Message), state);
        }
    }

    /// <summary>Folds decided events onto <paramref name="state"/>: the one fold of what a decider emitted.</summary>
    public static LedgerState Fold(LedgerState state, IEnumerable<Emitted> events)
    {
        foreach (var e in events)
            state = LedgerEvolution.Evolve(state, e.Event);
        return state;
    }

    /// <summary>Each decided event with the state right after it: for checks of every intermediate state (property
    /// tests, audits).</summary>
    public static IEnumerable<(Emitted Event, LedgerState After)> Trace(LedgerState state, IEnumerable<Emitted> events)
    {
        foreach (var e in events)
        {
            state = Fold(state, e.Event);
            yield return (e, state);
        }
    }

    /// <summary>
    /// Folds events a decider is only looking at (what an order or a withdrawal would leave, a liquidation step's
    /// what-if) and will throw away: the caches the engine keeps in the state (trigger index, ADL book) are left out,
    /// so a look costs no re-arming.
    /// </summary>
    public static LedgerState Probe(LedgerState state, IEnumerable<Emitted> events) =>
        Fold(WithoutCaches(state), events);

    /// <summary>Folds one event a decider is only looking at (see
    /// <see cref="Probe(LedgerState, IEnumerable{Emitted})"/>).</summary>
    public static LedgerState Probe(LedgerState state, Events.ILedgerEvent e) => Fold(WithoutCaches(state), e);

    private static LedgerState WithoutCaches(LedgerState state) =>
        state.Triggers is null && state.Adl is null ? state : state with { Triggers = null, Adl = null };

    /// <summary>Folds one decided event (see <see cref="Fold(LedgerState, IEnumerable{Emitted})"/>).</summary>
    public static LedgerState Fold(LedgerState state, Events.ILedgerEvent e) => LedgerEvolution.Evolve(state, e);

    private static string CommandName(LedgerCommand command) => command.GetType().Name;

    private static Transition React(LedgerState state, LedgerCommand command)
    {
        if (command is LiquidateAccount liquidate)
        {
            // the ADL order holds inside one cascade; a liquidation sent on its own leaves none behind
            var decided = LiquidationDecider.Decide(liquidate, state);
            return decided.State.Adl is null ? decided : decided with { State = decided.State with { Adl = null } };
        }
        var decision = LedgerDecider.Decide(command, state);
        if (decision is not Decision.Accepted accepted)
            return new Transition(decision, state);
        if (!accepted.Events.Any(e => LiquidationEngine.IsTrigger(e.Event)))
            return new Transition(decision, Fold(state, accepted.Events));
        var events = ImmutableArray.CreateBuilder<Emitted>();
        foreach (var e in accepted.Events)
        {
            state = Fold(state, e.Event);
            events.Add(e);
            if (LiquidationEngine.TriggerOf(e.Event, state) is not { } trigger)
                continue;
            var cascade = LiquidationEngine.Cascade(state, trigger);
            events.AddRange(cascade.Events);
            state = cascade.State;
        }
        return new Transition(new Decision.Accepted(events.ToImmutable()), state);
    }
}
