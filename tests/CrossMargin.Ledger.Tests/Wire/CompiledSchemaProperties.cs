using System.Globalization;
using System.Text;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Tests.Properties;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The compiled schema check against NJsonSchema, which decided every append before it: whenever the compiled
/// check calls a document certainly valid, NJsonSchema finds no violation in it (and does not throw). Documents
/// are drawn from each published schema and bent on purpose: required fields dropped, unknown and repeated keys,
/// escaped key names, values of the wrong kind, nulls, decimal texts near the grammar's edges (a final newline
/// passes .NET's <c>$</c>), long and fractional numbers, text after the value, comments.
/// </summary>
public sealed class CompiledSchemaProperties
{
    private static readonly string[] DecimalTexts =
    [
        "0",
        "-0",
        "1",
        "-1.5",
        "60000",
        "0.00000001",
        "1000000000",
        "79228162514264337593543950335",
        "123456789012345678.123456789",
        "1e5",
        "1E-3",
        "2.5e+10",
        "1.5\n",
        "01",
        "1.",
        ".5",
        "+1",
        " 1",
        "1 ",
        "1,5",
        "",
        "١",
        "NaN",
        "1e1234",
        "--1",
        "0x10",
    ];

    private static readonly string[] Words = ["a", "long", "short", "BTCUSDT", "é\u2028\"\\", "\u0001", "x\ny"];

    [Test]
    public void Every_published_schema_compiles()
    {
        Assert.That(EventSchemas.Uncompiled, Is.Empty, "event schemas checked by NJsonSchema alone");
        Assert.That(
            CommandTypes.Checks.Where(p => p.Value is null).Select(p => p.Key),
            Is.Empty,
            "command schemas checked by NJsonSchema alone"
        );
    }

    [Test]
    public void The_ledgers_own_events_are_confirmed_without_njsonschema()
    {
        var events = Samples.OneOfEach().Select(EventTypeRegistry.Serialize).ToList();
        for (var seed = 0; seed < 40; seed++)
        {
            var state = LedgerState.Initial;
            foreach (var command in VenueScenario.Generate(seed, 60))
            {
                var ran = LedgerRuntime.Run(state, command);
                if (ran.Decision is Decision.Accepted accepted)
                    events.AddRange(accepted.Events.Select(e => EventTypeRegistry.Serialize(e.Event)));
                state = ran.State;
            }
        }
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
            .Concat(CommandTypes.All.Select(p => (p.Key, p.Value, CommandTypes.Checks[p.Key]!)))
            .ToList();
        int confirmed = 0,
            valid = 0,
            refused = 0,
            tokensConfirmed = 0;
        for (var seed = part * 10_000; seed < (part + 1) * 10_000; seed++)
        {
            var random = new Random(seed);
            var (name, schema, check) = schemas[random.Next(schemas.Count)];
            var json = new StringBuilder();
            Value(random, json, schema.ActualSchema, depth: 0);
            if (random.Next(100) == 0)
                json.Append(random.Next(2) == 0 ? " x" : " /* c */");
            var text = json.ToString();

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
        Assert.That(CommandTypes.Checks["deposit"]!.CertainlyValid(line), Is.EqualTo(confirmed));
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

    private static CompiledSchema Check(string type) =>
        CompiledSchema.Compile(EventSchemas.All[type]) ?? throw new AssertionException($"{type} did not compile");

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

    private static readonly JsonObjectType[] Kinds =
    [
        JsonObjectType.String,
        JsonObjectType.Integer,
        JsonObjectType.Number,
        JsonObjectType.Boolean,
        JsonObjectType.Null,
        JsonObjectType.Object,
        JsonObjectType.Array,
    ];

    /// <summary>A value for <paramref name="schema"/>, mostly of a kind it admits, sometimes not.</summary>
    private static void Value(Random random, StringBuilder json, JsonSchema schema, int depth)
    {
        if (schema.OneOf.Count > 0 && random.Next(20) != 0)
        {
            Value(random, json, schema.OneOf.ElementAt(random.Next(schema.OneOf.Count)).ActualSchema, depth);
            return;
        }
        var admitted = Kinds.Where(k => schema.Type.HasFlag(k)).ToArray();
        var kind =
            admitted.Length > 0 && random.Next(20) != 0 ? admitted[random.Next(admitted.Length)]
            : depth > 3 ? JsonObjectType.String
            : Kinds[random.Next(Kinds.Length)];
        switch (kind)
        {
            case JsonObjectType.String:
                var text =
                    schema.Enumeration.Count > 0 && random.Next(10) != 0
                        ? (string)schema.Enumeration.ElementAt(random.Next(schema.Enumeration.Count))!
                    : !string.IsNullOrEmpty(schema.Pattern) || random.Next(4) == 0
                        ? random.Next(4) == 0 ? DecimalTexts[random.Next(DecimalTexts.Length)]
                            : Decimal(random)
                    : Words[random.Next(Words.Length)];
                json.Append(Newtonsoft.Json.JsonConvert.ToString(text));
                break;
            case JsonObjectType.Integer:
                json.Append(
                    random.Next(8) switch
                    {
                        0 => "12345678901234567890123",
                        1 => "-0",
                        2 => "1.0",
                        3 => "1e3",
                        4 => "999999999999999999",
                        _ => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
                    }
                );
                break;
            case JsonObjectType.Number:
                json.Append(random.Next(6) == 0 ? "1.5E+400" : Decimal(random));
                break;
            case JsonObjectType.Boolean:
                json.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case JsonObjectType.Null:
                json.Append("null");
                break;
            case JsonObjectType.Array:
                json.Append('[');
                var count = depth > 3 ? 0 : random.Next(4);
                for (var i = 0; i < count; i++)
                {
                    if (i > 0)
                        json.Append(',');
                    Value(random, json, schema.Item?.ActualSchema ?? new JsonSchema(), depth + 1);
                }
                json.Append(']');
                break;
            case JsonObjectType.Object:
                Object(random, json, schema, depth);
                break;
        }
    }

    private static void Object(Random random, StringBuilder json, JsonSchema schema, int depth)
    {
        json.Append('{');
        var first = true;
        void Key(string name)
        {
            if (!first)
                json.Append(',');
            first = false;
            json.Append(
                random.Next(50) == 0
                    ? "\"\\u" + ((int)name[0]).ToString("x4", CultureInfo.InvariantCulture) + name[1..] + "\""
                    : Newtonsoft.Json.JsonConvert.ToString(name)
            );
            json.Append(random.Next(20) == 0 ? " : " : ":");
        }
        var properties = depth > 3 ? [] : schema.ActualProperties.ToList();
        foreach (var (name, property) in properties.OrderBy(_ => random.Next(10) == 0 ? random.Next() : 0))
        {
            if (random.Next(property.IsRequired ? 40 : 4) == 0)
                continue;
            var repeat = random.Next(60) == 0 ? 2 : 1;
            for (var r = 0; r < repeat; r++)
            {
                Key(name);
                if (random.Next(25) == 0)
                    json.Append("null");
                else
                    Value(random, json, property.ActualSchema, depth + 1);
            }
        }
        if (random.Next(25) == 0)
        {
            Key(random.Next(2) == 0 ? "unknown" : "Account");
            json.Append("\"x\"");
        }
        json.Append('}');
    }

    private static string Decimal(Random random)
    {
        var digits = random.Next(1, 30);
        var text = new StringBuilder();
        if (random.Next(3) == 0)
            text.Append('-');
        text.Append((char)('1' + random.Next(9)));
        for (var i = 1; i < digits; i++)
            text.Append((char)('0' + random.Next(10)));
        if (random.Next(2) == 0)
            text.Insert(text.Length - random.Next(Math.Min(digits, 10)), random.Next(10) == 0 ? "" : ".");
        var s = text.ToString().Replace("-.", "-0.", StringComparison.Ordinal);
        return s.StartsWith('.') ? "0" + s
            : s.EndsWith('.') ? s + "5"
            : s;
    }
}
