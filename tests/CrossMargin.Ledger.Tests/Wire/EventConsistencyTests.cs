using System.Reflection;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using Newtonsoft.Json.Linq;
using Snapshooter.NUnit;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>Every event is a sealed record with a versioned wire name, a schema, a sample and a snapshot.</summary>
public sealed class EventConsistencyTests
{
    private static readonly Type[] EventTypes =
    [
        .. typeof(ILedgerEvent)
            .Assembly.GetTypes()
            .Where(t => typeof(ILedgerEvent).IsAssignableFrom(t) && !t.IsInterface),
    ];
    private static readonly Type[] RetiredTypes =
    [
        .. typeof(ILedgerEvent)
            .Assembly.GetTypes()
            .Where(t => typeof(IRetiredEvent).IsAssignableFrom(t) && !t.IsInterface),
    ];

    [Test]
    public void Every_event_is_a_sealed_record_with_a_versioned_wire_name()
    {
        foreach (var type in EventTypes.Concat(RetiredTypes))
        {
            Assert.That(type.IsSealed, type.Name);
            Assert.That(type.GetMethod("<Clone>$"), Is.Not.Null, $"{type.Name} is a record");
            Assert.That(
                type.GetCustomAttribute<WireNameAttribute>()?.Name,
                Does.Match(@"^[a-z]+(-[a-z]+)*\.v[0-9]+$"),
                type.Name
            );
        }
    }

    [Test]
    public void Every_event_has_a_schema_and_a_sample()
    {
        Assert.That(
            EventSchemas.All.Keys,
            Is.EquivalentTo(EventTypes.Concat(RetiredTypes).Select(EventTypeRegistry.NameOf))
        );
        Assert.That(Samples.OneOfEach().Select(e => e.GetType()), Is.EquivalentTo(EventTypes));
        Assert.That(Samples.OneOfEachRetired().Select(e => e.GetType()), Is.EquivalentTo(RetiredTypes));
    }

    [Test]
    public void A_retired_shape_reads_as_stored_upcasts_to_the_next_version_and_is_never_appended()
    {
        foreach (var retired in Samples.OneOfEachRetired())
        {
            var type = EventTypeRegistry.NameOf(retired.GetType());
            var data = EventStore.Json.LedgerJson.Serialize(retired);
            Assert.That(
                EventTypeRegistry.CanonicalStored(type, data),
                Is.EqualTo(data),
                $"{type} reads back byte for byte, so its hash still matches"
            );
            var current = EventTypeRegistry.Deserialize(type, data);
            Assert.That(
                EventStore.Json.LedgerJson.Serialize(current),
                Is.EqualTo(EventStore.Json.LedgerJson.Serialize(retired.Upcast())),
                type
            );
            var currentName = EventTypeRegistry.NameOf(current.GetType());
            Assert.That(
                currentName,
                Is.EqualTo(type.Replace(".v1", ".v2", StringComparison.Ordinal)),
                "each retired v1 is read as its v2"
            );
            Assert.That(
                EventSchemas.Violations(type, data),
                Has.Some.Contains("retired"),
                $"{type} is refused on append"
            );
            Assert.That(EventSchemas.All[type].Validate(data), Is.Empty, $"{type} matches its own (published) schema");
        }
    }

    [Test]
    public void A_price_event_of_an_old_log_was_decided_under_rules_1_and_one_decided_now_under_the_current_rules()
    {
        var old = EventTypeRegistry.Deserialize("mark-price-updated.v1", """{"symbol":"BTCUSDT","price":"60000"}""");
        Assert.That(old, Is.EqualTo(new MarkPriceUpdated("BTCUSDT", 60_000m, RulesVersion: 1)));
        Assert.That(
            new MarkPriceUpdated("BTCUSDT", 1m).RulesVersion,
            Is.EqualTo(LiquidationRules.Current).And.EqualTo(2)
        );
        var listing = (InstrumentListed)
            EventTypeRegistry.Deserialize(
                "instrument-listed.v1",
                """{"symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[],"takerFeeRate":"0","""
                    + """ "liquidationFeeRate":"0","quantityStep":"0.001","tickSize":"0.1"}"""
            );
        Assert.That(listing.Limits, Is.EqualTo(new InstrumentLimits(8, 100_000_000m, 10_000m, 100_000_000_000m, 0.1m)));
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
        Assert.That(
            EventSchemas.Violations(
                "funds-deposited.v1",
                """{"account":"a","asset":"USDT","amount":1.5,"balanceAfter":"1.5"}"""
            ),
            Is.Not.Empty
        );
        Assert.That(
            EventSchemas.Violations("funds-deposited.v1", """{"account":"a","asset":"USDT","amount":"1.5"}"""),
            Is.Not.Empty
        );
        Assert.That(
            EventSchemas.Violations(
                "funds-deposited.v1",
                """{"account":"a","asset":"USDT","amount":"1.5","balanceAfter":"1.5","x":1}"""
            ),
            Is.Not.Empty
        );
    }

    [Test]
    public void Event_json_is_what_auditors_read() =>
        Snapshot.Match(
            new JObject(
                Samples
                    .OneOfEach()
                    .Select(e =>
                    {
                        var (type, data) = EventTypeRegistry.Serialize(e);
                        return new JProperty(type, JObject.Parse(data));
                    })
                    .Concat(
                        Samples
                            .OneOfEachRetired()
                            .Select(e => new JProperty(
                                EventTypeRegistry.NameOf(e.GetType()),
                                JObject.Parse(EventStore.Json.LedgerJson.Serialize(e))
                            ))
                    )
            )
        );
}
