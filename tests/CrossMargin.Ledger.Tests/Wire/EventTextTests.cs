using System.Text;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.TestSupport;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>An event as a fold reads it is the same event whether its store read the data as text or as UTF-8
/// bytes, and decodes to the same event.</summary>
public sealed class EventTextTests
{
    private const string Data = """{"account":"zoe","asset":"USDT","amount":"5.0","balanceAfter":"5.0"}""";

    [Test]
    public void Text_and_bytes_are_the_same_event()
    {
        var text = new EventText(7, "account-zoë", 0, "cmd-1", "funds-deposited.v1", Data);
        var bytes = new EventText(7, "account-zoë", 0, "cmd-1", "funds-deposited.v1", Encoding.UTF8.GetBytes(Data));
        Assert.That(bytes.HasDataUtf8 && !text.HasDataUtf8);
        Assert.That(bytes.Data, Is.EqualTo(Data));
        Assert.That(bytes, Is.EqualTo(text));
        Assert.That(bytes.GetHashCode(), Is.EqualTo(text.GetHashCode()));
        Assert.That(bytes with { CommandId = "cmd-2" }, Is.Not.EqualTo(text));
        // new text replaces the bytes
        var changed = bytes with
        {
            Data = Data.Replace("5.0", "6.0", StringComparison.Ordinal),
        };
        Assert.That(changed.HasDataUtf8, Is.False);
        Assert.That(changed, Is.Not.EqualTo(text));
        Assert.That(
            StateDump.Of(EventTypeRegistry.Deserialize(bytes)),
            Is.EqualTo(StateDump.Of(EventTypeRegistry.Deserialize(text.Type, text.Data)))
        );
        Assert.That(((Events.FundsDeposited)EventTypeRegistry.Deserialize(changed)).Amount, Is.EqualTo(6m));
        Assert.That(((Events.FundsDeposited)EventTypeRegistry.Deserialize(bytes)).Amount, Is.EqualTo(5m));
    }
}
