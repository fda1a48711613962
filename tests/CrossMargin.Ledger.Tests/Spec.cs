using System.Collections.Immutable;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Tests;

/// <summary>
/// Given/When/Then over the deciders: <c>Spec.Given(commands).When(command).Then(events)</c> or
/// <c>.ThenRejected(code)</c>. Given-commands are decided and folded, so the state is always reachable.
/// </summary>
public sealed class Spec
{
    private readonly LedgerState state;
    private LedgerCommand? command;

    private Spec(LedgerState state) => this.state = state;

    public static Spec Given(params LedgerCommand[] commands) => new(Samples.Apply(LedgerState.Initial, commands));

    public static Spec Given(LedgerState state) => new(state);

    public Spec When(LedgerCommand when)
    {
        command = when;
        return this;
    }

    public ImmutableArray<Emitted> Then(params ILedgerEvent[] expected)
    {
        var decision = LedgerRuntime.Run(state, command!).Decision;
        Assert.That(decision, Is.TypeOf<Decision.Accepted>(), () => $"expected acceptance, got {decision}");
        var events = ((Decision.Accepted)decision).Events;
        // records holding lists compare lists by reference: compare what is stored, wire name and JSON
        Assert.That(events.Select(e => Wire(e.Event)), Is.EqualTo(expected.Select(Wire)));
        return events;
    }

    private static string Wire(ILedgerEvent e)
    {
        var (type, data) = EventTypeRegistry.Serialize(e);
        return type + " " + data;
    }

    public Rejection ThenRejected(RejectionCode code)
    {
        var decision = LedgerRuntime.Run(state, command!).Decision;
        Assert.That(decision, Is.TypeOf<Decision.Rejected>(), () => $"expected {code}, got {decision}");
        var rejection = ((Decision.Rejected)decision).Rejection;
        Assert.That(rejection.Code, Is.EqualTo(code), rejection.Message);
        return rejection;
    }
}
