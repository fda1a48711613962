using System.Reflection;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Schemas;
using Newtonsoft.Json.Linq;
using Snapshooter.NUnit;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>Every event is a sealed record with a versioned wire name, a schema, a sample and a snapshot.</summary>
public sealed class EventConsistencyTests
{
    private static readonly Type[] EventTypes = [.. typeof(ILedgerEvent).Assembly.GetTypes().Where(t => typeof(ILedgerEvent).IsAssignableFrom(t) && !t.IsInterface)];

    [Test]
    public void Every_event_is_a_sealed_record_with_a_versioned_wire_name()
    {
        foreach (var type in EventTypes)
        {
            Assert.That(type.IsSealed, type.Name);
            Assert.That(type.GetMethod("<Clone>$"), Is.Not.Null, $"{type.Name} is a record");
            Assert.That(type.GetCustomAttribute<WireNameAttribute>()?.Name, Does.Match(@"^[a-z]+(-[a-z]+)*\.v[0-9]+$"), type.Name);
        }
    }

    [Test]
    public void Every_event_has_a_schema_and_a_sample()
    {
        Assert.That(EventSchemas.All.Keys, Is.EquivalentTo(EventTypes.Select(EventTypeRegistry.NameOf)));
        Assert.That(Samples.OneOfEach().Select(e => e.GetType()), Is.EquivalentTo(EventTypes));
    }

    [Test]
    public void Every_sample_matches_its_schema_and_round_trips()
    {
        foreach (var e in Samples.OneOfEach())
        {
            var (type, data) = EventTypeRegistry.Serialize(e);
            Assert.That(EventSchemas.Violations(type, data), Is.Empty, type);
            var back = EventTypeRegistry.Serialize(EventTypeRegistry.Deserialize(type, data));
            Assert.That(back.Data, Is.EqualTo(data), type);
        }
    }

    [Test]
    public void A_schema_refuses_a_float_a_missing_field_and_an_extra_field()
    {
        Assert.That(EventSchemas.Violations("funds-deposited.v1", """{"account":"a","asset":"USDT","amount":1.5,"balanceAfter":"1.5"}"""), Is.Not.Empty);
        Assert.That(EventSchemas.Violations("funds-deposited.v1", """{"account":"a","asset":"USDT","amount":"1.5"}"""), Is.Not.Empty);
        Assert.That(EventSchemas.Violations("funds-deposited.v1", """{"account":"a","asset":"USDT","amount":"1.5","balanceAfter":"1.5","x":1}"""), Is.Not.Empty);
    }

    [Test]
    public void Event_json_is_what_auditors_read() =>
        Snapshot.Match(new JObject(Samples.OneOfEach().Select(e =>
        {
            var (type, data) = EventTypeRegistry.Serialize(e);
            return new JProperty(type, JObject.Parse(data));
        })));
}
