using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.Tests.Properties;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The compiled schema check against NJsonSchema, which decided every append before it: whenever the compiled
/// check calls a document certainly valid, NJsonSchema finds no violation in it (and does not throw), over
/// documents drawn from each published schema and bent on purpose (<see cref="SchemaDocuments"/>).
/// </summary>
public sealed class CompiledSchemaProperties
{
    [Test]
    public void Every_published_schema_compiles()
    {
        Assert.That(EventSchemas.Uncompiled, Is.Empty, "event schemas checked by NJsonSchema alone");
        Assert.That(
            CommandTypes.ByName.Keys.Where(n => CommandTypes.Check(n) is null),
            Is.Empty,
            "command schemas checked by NJsonSchema alone"
        );
    }

    [Test]
    public void The_ledgers_own_events_are_confirmed_without_njsonschema()
    {
        var events = VenueScenario.StoredEvents(seeds: 40);
        Assert.That(events, Has.Count.GreaterThan(1_000));
        foreach (var (type, data) in events)
            Assert.That(Check(type).CertainlyValid(data), Is.True, () => $"{type}: {data}");
    }

    [Test]
    public void What_the_compiled_check_confirms_njsonschema_finds_valid([Values(0, 1, 2, 3)] int part)
    {
        var schemas = EventSchemas
            .All.Where(p => !EventTypeRegistry.IsRetired(p.Key))
            .Select(p => (p.Key, p.Value, Check(p.Key)))
            .Concat(CommandTypes.All.Select(p => (p.Key, p.Value, CommandTypes.Check(p.Key)!)))
            .ToList();
        int confirmed = 0,
            valid = 0,
            refused = 0,
            tokensConfirmed = 0;
        for (var seed = part * 10_000; seed < (part + 1) * 10_000; seed++)
        {
            var random = new Random(seed);
            var (name, schema, check) = schemas[random.Next(schemas.Count)];
            var text = SchemaDocuments.Draw(random, schema);

            ICollection<NJsonSchema.Validation.ValidationError>? errors;
            try
            {
                errors = schema.Validate(text);
            }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException or InvalidCastException)
            {
                // Json.NET refuses the text, or NJsonSchema cannot convert a number beyond 64 bits
                errors = null;
            }
            var certain = check.CertainlyValid(text);
            if (certain)
                Assert.That(errors, Is.Not.Null.And.Empty, () => $"seed {seed}, {name}: {text}");
            confirmed += certain ? 1 : 0;
            valid += errors is { Count: 0 } ? 1 : 0;
            refused += errors is null or { Count: > 0 } ? 1 : 0;

            // the token front end, as the command parser reads a line
            if (Parse(text) is not { } token)
                continue;
            if (check.CertainlyValid(token))
            {
                tokensConfirmed++;
                Assert.That(schema.Validate(token), Is.Empty, () => $"seed {seed}, {name} (tokens): {text}");
            }
        }
        // neither side is empty: the generator draws both valid and broken documents, and the check confirms most
        // of the valid ones
        Assert.That(refused, Is.GreaterThan(2_000), "broken documents drawn");
        Assert.That(valid, Is.GreaterThan(2_000), "valid documents drawn");
        Assert.That(confirmed, Is.GreaterThan(valid * 7 / 10), "valid documents the compiled check confirmed");
        Assert.That(tokensConfirmed, Is.GreaterThan(valid * 7 / 10), "valid token trees the compiled check confirmed");
    }

    // .NET's $ matches before a final newline, so NJsonSchema takes "1.5\n" as a decimal; so does the check
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"1.5\n"}""", true, true)]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":1e2}""", true, false)]
    // Json.NET keeps the last of a repeated key; the check leaves the question to it
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"5","amount":"6"}""", true, false)]
    [TestCase("""{"type":"deposit","\u0061ccount":"a","asset":"USDT","amount":"5"}""", true, true)]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"5."}""", false, false)]
    public void Unusual_lines_are_confirmed_only_where_njsonschema_agrees(string line, bool valid, bool confirmed)
    {
        Assert.That(CommandTypes.All["deposit"].Validate(line), valid ? Is.Empty : Is.Not.Empty);
        Assert.That(CommandTypes.Check("deposit")!.CertainlyValid(line), Is.EqualTo(confirmed));
    }

    [Test]
    public void A_broken_event_is_still_refused_with_its_path()
    {
        var (type, data) = EventTypeRegistry.Serialize(Samples.OneOfEach()[0]);
        var json = JObject.Parse(data);
        var first = json.Properties().First(p => p.Value.Type == JTokenType.String);
        first.Value = 12;
        var violations = EventSchemas.Violations(type, json.ToString(Newtonsoft.Json.Formatting.None));
        Assert.That(violations, Has.Some.StartsWith($"#/{first.Name}: StringExpected"));
    }

    // the check appends make: compiled from the published document embedded in the assembly
    private static CompiledSchema Check(string type) =>
        EventSchemas.Check(type) ?? throw new AssertionException($"{type} did not compile");

    private static JToken? Parse(string text)
    {
        try
        {
            using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text))
            {
                DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
                FloatParseHandling = Newtonsoft.Json.FloatParseHandling.Decimal,
            };
            return JToken.Load(
                reader,
                new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error }
            );
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or OverflowException)
        {
            // the command parser refuses these numbers before it loads a line
            return null;
        }
    }
}
