using System.Reflection;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The command and event unions are closed and every leaf has its arm: one sample of each command goes through
/// decide (the runtime loop) and one of each event through evolve. A new leaf without a sample, or a sample that
/// reaches a default arm, fails here; the switches have no other proof of being complete.
/// </summary>
public sealed class UnionConsistencyTests
{
    private static readonly Assembly Core = typeof(LedgerCommand).Assembly;

    private static readonly Type[] CommandLeaves =
    [
        .. Core.GetTypes().Where(t => t.IsSubclassOf(typeof(LedgerCommand)) && !t.IsAbstract),
    ];

    private static readonly Type[] EventLeaves =
    [
        .. Core.GetTypes().Where(t => typeof(ILedgerEvent).IsAssignableFrom(t) && !t.IsInterface),
    ];

    [Test]
    public void Every_command_has_a_sample_and_a_decide_arm()
    {
        Assert.That(Samples.OneOfEachCommand().Select(c => c.GetType()).Distinct(), Is.EquivalentTo(CommandLeaves));
        var state = LedgerState.Initial;
        foreach (var command in Samples.OneOfEachCommand())
        {
            Transition ran;
            try
            {
                ran = LedgerRuntime.Run(state, command);
            }
            catch (ArgumentOutOfRangeException e)
            {
                Assert.Fail($"{command.GetType().Name} reached the default arm of the decider: {e.Message}");
                return;
            }
            Assert.That(ran.Decision, Is.TypeOf<Decision.Accepted>(), $"{command}: {ran.Decision}");
            state = ran.State;
        }
    }

    [Test]
    public void Every_event_has_a_sample_and_an_evolve_arm()
    {
        Assert.That(Samples.OneOfEach().Select(e => e.GetType()).Distinct(), Is.EquivalentTo(EventLeaves));
        // the samples are one of each, not a log: an arm may refuse a sample that cannot follow the state so far
        // (its own UnreachableException names the mismatch); only the default arm says "no evolution"
        var state = LedgerState.Initial;
        var folded = 0;
        foreach (var e in Samples.OneOfEach())
        {
            try
            {
                state = LedgerEvolution.Evolve(state, e);
                folded++;
            }
            catch (System.Diagnostics.UnreachableException u)
            {
                Assert.That(
                    u.Message,
                    Does.Not.StartWith("no evolution"),
                    $"{e.GetType().Name} reached the default arm"
                );
            }
        }
        Assert.That(folded, Is.GreaterThan(EventLeaves.Length / 2), "most samples fold in order");
    }

    [Test]
    public void Only_the_core_declares_commands_and_events()
    {
        var solution = AppDomain
            .CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name!.StartsWith("CrossMargin.Ledger", StringComparison.Ordinal) && a != Core);
        foreach (var assembly in solution)
            Assert.That(
                assembly
                    .GetTypes()
                    .Where(t =>
                        t.IsSubclassOf(typeof(LedgerCommand))
                        || (typeof(ILedgerEvent).IsAssignableFrom(t) && !t.IsInterface)
                    ),
                Is.Empty,
                assembly.GetName().Name
            );
        Assert.That(
            typeof(LedgerCommand)
                .GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(c => c.GetParameters().Length == 0)
                .Select(c => c.IsAssembly || c.IsFamilyAndAssembly),
            Is.All.True,
            "no assembly but the core can derive a command"
        );
    }
}
