using System.Reflection;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>Every command has a stable wire name; the idempotency payload names it by that, never by its CLR
/// type.</summary>
public sealed class CommandConsistencyTests
{
    private static readonly Type[] CommandTypes =
    [
        .. typeof(LedgerCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LedgerCommand)) && !t.IsAbstract),
    ];

    [Test]
    public void Every_command_is_a_sealed_record_with_its_own_versioned_wire_name()
    {
        foreach (var type in CommandTypes)
        {
            Assert.That(type.IsSealed, type.Name);
            Assert.That(
                type.GetCustomAttribute<WireNameAttribute>()?.Name,
                Does.Match(@"^[a-z]+(-[a-z]+)*\.v[0-9]+$"),
                type.Name
            );
        }
        var names = CommandTypes.Select(t => t.GetCustomAttribute<WireNameAttribute>()!.Name).ToList();
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void The_payload_names_the_command_by_its_wire_name()
    {
        var payload = CommandPayload.Canonical(new Deposit("alice", "USDT", 1.5m));
        Assert.That(
            payload,
            Is.EqualTo("""{"command":"deposit.v1","data":{"account":"alice","amount":"1.5","asset":"USDT"}}""")
        );
        Assert.That(CommandPayload.Parse(payload), Is.EqualTo(new Deposit("alice", "USDT", 1.5m)));
    }

    [Test]
    public void A_payload_recorded_under_the_clr_name_still_reads_and_its_hash_still_matches()
    {
        // as releases up to 0.1.0 wrote it
        const string recorded = """{"command":"Withdraw","data":{"account":"alice","amount":"2","asset":"USDT"}}""";
        var withdraw = new Withdraw("alice", "USDT", 2m);
        var current = EventHash.Payload(CommandPayload.Canonical(withdraw));
        Assert.That(CommandPayload.Parse(recorded), Is.EqualTo(withdraw));
        Assert.That(CommandPayload.IsHashOf(EventHash.Payload(recorded), withdraw, current), Is.True);
        Assert.That(CommandPayload.IsHashOf(current, withdraw, current), Is.True);
        var deposit = new Deposit("alice", "USDT", 2m);
        Assert.That(
            CommandPayload.IsHashOf(
                EventHash.Payload(recorded),
                deposit,
                EventHash.Payload(CommandPayload.Canonical(deposit))
            ),
            Is.False,
            "the same fields under another command's name are another command"
        );
    }
}
