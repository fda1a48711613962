using System.Collections.Immutable;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Tests.Properties;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The compiled writer against Json.NET, which wrote every stored event before it: whenever the writer answers, its
/// data is Json.NET's text to the character and its canonical text is <see cref="CanonicalJson.Of(string)"/> of that
/// data. Over the ledger's own events, which it must all write, and over events Json.NET builds from documents drawn
/// from every event schema (odd strings, escapes, extreme decimals, nulls where a value may be null).
/// </summary>
public sealed class CompiledWriterProperties
{
    [Test]
    public void Every_event_type_is_written_by_the_compiled_writer_as_json_net_writes_it()
    {
        foreach (var e in Samples.OneOfEach())
            AssertWrittenAsJsonNet(e, e.GetType().Name);
    }

    [Test]
    public void The_events_the_ledger_decides_are_written_as_json_net_writes_them()
    {
        // the objects as the deciders emit them (their own list types), not read back from text
        var types = new HashSet<Type>();
        for (var seed = 0; seed < 40; seed++)
        {
            var state = LedgerState.Initial;
            foreach (var command in VenueScenario.Generate(seed, 60))
            {
                var ran = LedgerRuntime.Run(state, command);
                if (ran.Decision is Decision.Accepted accepted)
                    foreach (var e in accepted.Events)
                    {
                        types.Add(e.Event.GetType());
                        AssertWrittenAsJsonNet(e.Event, $"seed {seed}");
                    }
                state = ran.State;
            }
        }
        Assert.That(types, Has.Count.GreaterThan(15), "event types drawn");
    }

    [Test]
    public void The_ledgers_own_stored_events_are_written_back_as_they_were_stored()
    {
        var events = VenueScenario.StoredEvents(seeds: 40);
        foreach (var (type, data) in events)
        {
            var e = (ILedgerEvent)EventTypeRegistry.ReadStored(type, data);
            Assert.That(CompiledWriter.TryWrite(e, out var written, out var canonical), Is.True, () => data);
            Assert.That(written, Is.EqualTo(data));
            Assert.That(canonical, Is.EqualTo(CanonicalJson.Of(data)));
        }
    }

    [Test]
    public void What_the_compiled_writer_writes_json_net_writes_the_same([Values(0, 1, 2, 3)] int part)
    {
        var schemas = EventSchemas
            .All.Where(p => !EventTypeRegistry.IsRetired(p.Key))
            .Select(p => (p.Key, p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        int built = 0,
            written = 0,
            escaped = 0,
            nulls = 0,
            newlines = 0;
        for (var seed = part * 10_000; seed < (part + 1) * 10_000; seed++)
        {
            var random = new Random(seed);
            var (name, schema) = schemas[random.Next(schemas.Count)];
            object? e;
            try
            {
                e = JsonConvert.DeserializeObject(
                    SchemaDocuments.Draw(random, schema),
                    EventTypeRegistry.TypeOf(name),
                    LedgerJson.Settings
                );
            }
            catch (Exception ex) when (ex is JsonException or OverflowException)
            {
                continue;
            }
            if (e is not ILedgerEvent ledgerEvent)
                continue;
            built++;
            var expected = LedgerJson.Serialize(e);
            if (!CompiledWriter.TryWrite(ledgerEvent, out var data, out var canonical))
                continue;
            written++;
            escaped +=
                data.Contains("\\u", StringComparison.Ordinal) || data.Contains("\\\"", StringComparison.Ordinal)
                    ? 1
                    : 0;
            nulls += data.Contains(":null", StringComparison.Ordinal) ? 1 : 0;
            newlines += data.Contains("\\n", StringComparison.Ordinal) ? 1 : 0;
            Assert.That(data, Is.EqualTo(expected), () => $"seed {seed}, {name}");
            Assert.That(canonical, Is.EqualTo(CanonicalJson.Of(expected)), () => $"seed {seed}, {name}");
        }
        // both sides are drawn: events Json.NET builds, nearly all of which the writer writes
        Assert.That(built, Is.GreaterThan(300), "events Json.NET builds");
        Assert.That(written, Is.GreaterThan(built * 9 / 10), "events the compiled writer writes");
        // and the odd cases among them: escaped characters, nulls, newlines (in a text, or ending an id as old
        // releases kept)
        Assert.That(escaped, Is.GreaterThan(0), "events written with an escaped character");
        Assert.That(nulls, Is.GreaterThan(10), "events written with a null");
        Assert.That(newlines, Is.GreaterThan(0), "events written with an escaped newline");
    }

    [Test]
    public void A_string_holding_a_surrogate_is_left_to_json_net()
    {
        var e = Samples.OneOfEach().OfType<LiquidationTriggered>().First() with { LiquidationId = "x\uD800y" };
        Assert.That(CompiledWriter.TryWrite(e, out _, out _), Is.False);
        var made = NewEvent.Of("account-a", e);
        Assert.That(made.Data, Is.EqualTo(LedgerJson.Serialize(e)));
    }

    [Test]
    public void The_append_plan_hashes_a_written_event_as_it_hashes_its_text()
    {
        var metadata = new EventMetadata("c-1", "c-1", "c-1", "ops", "2026-12-07T00:00:00.000000Z");
        var samples = Samples.OneOfEach();
        var made = samples.Select((e, i) => NewEvent.Of($"s-{i % 3}", e)).ToImmutableArray();
        var request = new AppendRequest(
            metadata,
            Digest.Genesis,
            made,
            ImmutableDictionary<string, ExpectedVersion>.Empty
        );
        var (stored, _) = AppendPlan.Build(request, _ => StreamHead.New, 0, Digest.Genesis);
        Assert.That(stored, Has.Length.EqualTo(samples.Count));
        foreach (var e in stored)
            Assert.That(
                e.Hash,
                Is.EqualTo(
                    EventHash.Compute(e.EventId, e.Stream, e.StreamVersion, e.Type, e.Data, metadata, e.PrevHash)
                )
            );
    }

    [Test]
    public void A_new_event_hashes_its_own_data_whatever_was_written_with_it()
    {
        var e = Samples.OneOfEach()[0];
        var made = NewEvent.Of("s", e);
        var (type, data) = EventTypeRegistry.Serialize(e);
        Assert.That(made, Is.EqualTo(new NewEvent("s", type, data)), "equal to the event made from its text");
        Assert.That(made.GetHashCode(), Is.EqualTo(new NewEvent("s", type, data).GetHashCode()));
        Assert.That(made.CanonicalData, Is.EqualTo(CanonicalJson.Of(data)));
        // a copy with other data takes that data's canonical text, not the one written with the original
        var other = EventTypeRegistry.Serialize(Samples.OneOfEach()[1]).Data;
        var changed = made with { Data = other };
        Assert.That(changed.CanonicalData, Is.EqualTo(CanonicalJson.Of(other)));
        // the same text in another string instance is canonicalised afresh, to the same text
        var copy = made with
        {
            Data = new string(made.Data.AsSpan()),
        };
        Assert.That(copy.CanonicalData, Is.EqualTo(made.CanonicalData));
    }

    private static void AssertWrittenAsJsonNet(ILedgerEvent e, string where)
    {
        var expected = LedgerJson.Serialize(e);
        Assert.That(CompiledWriter.TryWrite(e, out var data, out var canonical), Is.True, () => $"declined {where}");
        Assert.That(data, Is.EqualTo(expected), () => where);
        Assert.That(canonical, Is.EqualTo(CanonicalJson.Of(expected)), () => where);
    }
}
