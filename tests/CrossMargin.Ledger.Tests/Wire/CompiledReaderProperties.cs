using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.Tests.Properties;
using CrossMargin.Ledger.TestSupport;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The compiled reader against Json.NET, which read every stored event before it: whenever the compiled reader
/// answers, Json.NET builds the same object from the same text (every property, decimals with their scale, the
/// runtime type of every collection) and does not throw. Over the ledger's own events, which it must all read, and
/// over documents drawn from every event schema and bent on purpose (<see cref="SchemaDocuments"/>).
/// </summary>
public sealed partial class CompiledReaderProperties
{
    [Test]
    public void Every_event_type_is_read_by_the_compiled_reader()
    {
        var declined = EventTypeRegistry
            .Names.Where(n => !CompiledReader.Supports(EventTypeRegistry.TypeOf(n)))
            .ToList();
        Assert.That(declined, Is.Empty, "event types only Json.NET reads");
    }

    [Test]
    public void The_ledgers_own_events_read_as_json_net_reads_them()
    {
        var events = VenueScenario.StoredEvents(seeds: 40);
        Assert.That(events.Select(e => e.Type).Distinct().Count(), Is.GreaterThan(15), "event types drawn");
        foreach (var (type, data) in events)
        {
            var clrType = EventTypeRegistry.TypeOf(type);
            Assert.That(CompiledReader.TryRead(clrType, data, out var read), Is.True, () => $"declined {type}: {data}");
            Assert.That(Dump(read), Is.EqualTo(Dump(JsonNet(clrType, data))), () => $"{type}: {data}");
        }
    }

    [Test]
    public void What_the_compiled_reader_reads_json_net_reads_the_same([Values(0, 1, 2, 3)] int part)
    {
        var schemas = EventSchemas
            .All.Select(p => (p.Key, p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        int read = 0,
            readByJsonNet = 0;
        for (var seed = part * 10_000; seed < (part + 1) * 10_000; seed++)
        {
            var random = new Random(seed);
            var (name, schema) = schemas[random.Next(schemas.Count)];
            var (byJsonNet, byReader) = Compare(name, SchemaDocuments.Draw(random, schema), seed);
            readByJsonNet += byJsonNet ? 1 : 0;
            read += byReader ? 1 : 0;
        }
        // both sides are drawn: documents Json.NET reads, most of which the compiled reader reads too
        Assert.That(readByJsonNet, Is.GreaterThan(300), "documents Json.NET reads");
        Assert.That(read, Is.GreaterThan(readByJsonNet / 2), "documents the compiled reader reads");
        Assert.That(read, Is.LessThan(readByJsonNet), "documents only Json.NET reads");
    }

    [Test]
    public void Bent_copies_of_the_ledgers_own_events_read_as_json_net_reads_them()
    {
        var events = VenueScenario.StoredEvents(seeds: 10);
        int read = 0,
            readByJsonNet = 0;
        for (var seed = 0; seed < 20_000; seed++)
        {
            var random = new Random(seed);
            var (name, data) = events[random.Next(events.Count)];
            var (byJsonNet, byReader) = Compare(name, Bend(random, data), seed);
            readByJsonNet += byJsonNet ? 1 : 0;
            read += byReader ? 1 : 0;
        }
        Assert.That(readByJsonNet, Is.GreaterThan(8_000), "bent documents Json.NET reads");
        Assert.That(read, Is.GreaterThan(4_000), "bent documents the compiled reader reads");
        Assert.That(read, Is.LessThan(readByJsonNet - 2_000), "bent documents only Json.NET reads");
    }

    [Test]
    public void Stored_bytes_read_as_the_string_made_from_them()
    {
        // a store hands over UTF-8 bytes; the string a store would have made from them is the reference
        var events = VenueScenario.StoredEvents(seeds: 10);
        int read = 0,
            readDamaged = 0,
            damaged = 0;
        for (var seed = 0; seed < 6_000; seed++)
        {
            var random = new Random(seed);
            var (name, data) = events[random.Next(events.Count)];
            var text = seed % 2 == 0 ? data : Bend(random, data);
            // a third damaged as bytes, mostly inside a liquidation's id (free text, where a replaced character is
            // still read): a byte no UTF-8 text holds, a sequence cut short, an overlong encoding of '/'; and valid
            // bytes a reader could take apart from the string: a byte-order mark, a NUL
            var bytes = System.Text.Encoding.UTF8.GetBytes(text).ToList();
            if (seed % 3 == 0)
            {
                var id = text.IndexOf("\"liquidationId\":\"", StringComparison.Ordinal);
                var at =
                    id >= 0 && random.Next(4) > 0
                        ? System.Text.Encoding.UTF8.GetByteCount(text[..id]) + "\"liquidationId\":\"".Length
                        : random.Next(bytes.Count);
                bytes.InsertRange(
                    at,
                    (random.Next(5)) switch
                    {
                        0 => [0xFF],
                        1 => [0xE2, 0x82],
                        2 => [0xC0, 0xAF],
                        3 => [0xEF, 0xBB, 0xBF],
                        _ => [0x00],
                    }
                );
                damaged++;
            }
            var type = EventTypeRegistry.TypeOf(name);
            byte[] stored = [.. bytes];
            var byString = CompiledReader.TryRead(
                type,
                System.Text.Encoding.UTF8.GetString(stored),
                out var fromString
            );
            var byBytes = CompiledReader.TryRead(type, stored, out var fromBytes);
            Assert.That(byBytes, Is.EqualTo(byString), () => $"seed {seed}, {name}: {text}");
            if (!byBytes)
                continue;
            Assert.That(Dump(fromBytes), Is.EqualTo(Dump(fromString)), () => $"seed {seed}, {name}: {text}");
            read++;
            readDamaged += seed % 3 == 0 ? 1 : 0;
        }
        Assert.That(read, Is.GreaterThan(2_000), "texts read");
        Assert.That(damaged, Is.EqualTo(2_000));
        // damage inside a text value is read, replaced, as the string holds it
        Assert.That(readDamaged, Is.GreaterThan(50), "damaged texts read");
    }

    /// <summary>Whether Json.NET reads <paramref name="text"/> as a <paramref name="name"/> event, and whether the
    /// compiled reader does; where the reader does, Json.NET must build the same object.</summary>
    private static (bool ByJsonNet, bool ByReader) Compare(string name, string text, int seed)
    {
        var type = EventTypeRegistry.TypeOf(name);
        object? expected;
        try
        {
            expected = JsonNet(type, text);
        }
        catch (Exception e) when (e is JsonException or OverflowException)
        {
            // Json.NET refuses the text (a number beyond a decimal overflows while it reads)
            expected = null;
        }
        if (!CompiledReader.TryRead(type, text, out var value))
            return (expected is not null, false);
        Assert.That(expected, Is.Not.Null, () => $"seed {seed}, {name}: Json.NET refuses {text}");
        Assert.That(Dump(value), Is.EqualTo(Dump(expected)), () => $"seed {seed}, {name}: {text}");
        return (true, true);
    }

    /// <summary>One small change to a stored text, of the kinds a reader may take differently: keys reordered,
    /// repeated, dropped, re-cased or escaped; spacing; a decimal with trailing zeros, an exponent, as a number or
    /// null; a string value escaped; a word re-cased; an integer as a fraction or a string.</summary>
    private static string Bend(Random random, string data)
    {
        var json = Newtonsoft.Json.Linq.JObject.Parse(data);
        var properties = json.Properties().ToList();
        var p = properties[random.Next(properties.Count)];
        var text = p.Value.Type == Newtonsoft.Json.Linq.JTokenType.String ? (string)p.Value! : null;
        switch (random.Next(14))
        {
            case 0:
                return new Newtonsoft.Json.Linq.JObject(properties.OrderBy(_ => random.Next())).ToString(
                    Formatting.None
                );
            case 1:
                return data[..^1] + "," + JsonConvert.ToString(p.Name) + ":" + p.Value.ToString(Formatting.None) + "}";
            case 2:
                p.Remove();
                break;
            case 3:
                p.Replace(new Newtonsoft.Json.Linq.JProperty(char.ToUpperInvariant(p.Name[0]) + p.Name[1..], p.Value));
                break;
            case 4:
                return data.Replace(
                    "\"" + p.Name + "\":",
                    "\"\\u" + ((int)p.Name[0]).ToString("x4", CultureInfo.InvariantCulture) + p.Name[1..] + "\":",
                    StringComparison.Ordinal
                );
            case 5:
                return json.ToString(Formatting.Indented);
            case 6 when text is not null && decimal.TryParse(text, CultureInfo.InvariantCulture, out _):
                p.Value = text.Contains('.') ? text + "00" : text + ".0";
                break;
            case 7 when text is not null && decimal.TryParse(text, CultureInfo.InvariantCulture, out _):
                p.Value = text + "e0";
                break;
            case 8 when text is not null && decimal.TryParse(text, CultureInfo.InvariantCulture, out var number):
                p.Value = number;
                break;
            case 9:
                p.Value = Newtonsoft.Json.Linq.JValue.CreateNull();
                break;
            case 10 when text is { Length: > 0 }:
                return data.Replace(
                    JsonConvert.ToString(text),
                    "\"\\u" + ((int)text[0]).ToString("x4", CultureInfo.InvariantCulture) + text[1..] + "\"",
                    StringComparison.Ordinal
                );
            case 11 when text is { Length: > 0 } && !decimal.TryParse(text, CultureInfo.InvariantCulture, out _):
                p.Value = char.ToUpperInvariant(text[0]) + text[1..];
                break;
            case 12 when p.Value.Type == Newtonsoft.Json.Linq.JTokenType.Integer:
                return data.Replace(
                    "\"" + p.Name + "\":" + p.Value,
                    "\"" + p.Name + "\":" + p.Value + ".0",
                    StringComparison.Ordinal
                );
            case 13 when p.Value.Type == Newtonsoft.Json.Linq.JTokenType.Integer:
                p.Value = p.Value.ToString();
                break;
            default:
                return data;
        }
        return json.ToString(Formatting.None);
    }

    // Json.NET keeps the last of a repeated key, matches names regardless of case, reads numbers as decimals and
    // fills a missing parameter with its default: the compiled reader leaves all of these to it
    [TestCase("""{"account":"a","asset":"USDT","amount":"5","amount":"6","balanceAfter":"6"}""")]
    [TestCase("""{"Account":"a","asset":"USDT","amount":"5","balanceAfter":"6"}""")]
    [TestCase("""{"account":"a","asset":"USDT","amount":5,"balanceAfter":"6"}""")]
    [TestCase("""{"account":"a","asset":"USDT","amount":"5"}""")]
    [TestCase("""{"\u0061ccount":"a","asset":"USDT","amount":"5","balanceAfter":"6"}""")]
    [TestCase("""{"account":"a","asset":"USDT","amount":"5","balanceAfter":"6"} // c""")]
    public void Text_read_otherwise_than_the_ledger_writes_it_is_left_to_json_net(string data)
    {
        Assert.That(CompiledReader.TryRead(typeof(Events.FundsDeposited), data, out _), Is.False);
        // and the registry still reads it, through Json.NET
        Assert.That(
            Dump(EventTypeRegistry.ReadStored("funds-deposited.v1", data)),
            Is.EqualTo(Dump(JsonNet(typeof(Events.FundsDeposited), data)))
        );
    }

    [Test]
    public void Plain_decimal_text_parses_exactly_as_the_grammar_says()
    {
        var texts = new List<string> { "0", "-0", "0.000", "-0.0", "1.50", "10", "100.00", "0.00000001", "-1.5" };
        texts.Add("9999999999999999999");
        texts.Add("-999999999.9999999999");
        texts.Add("18446744073709551615");
        // a decimal's edges: the largest mantissa, one past it, 28 places and 29, 38 digits and 39
        texts.AddRange(["79228162514264337593543950335", "-79228162514264337593543950336"]);
        texts.AddRange(["7.9228162514264337593543950335", "0.0000000000000000000000000001"]);
        texts.AddRange(["0.00000000000000000000000000001", "0.00000000000000000000000000010"]);
        texts.AddRange(["1.0000000000000000000000000000000000000", "1.00000000000000000000000000000000000000"]);
        texts.AddRange(["-0.0000000000000000000000000000", "33.333333333333333333333333333"]);
        texts.AddRange(["01", "1.", ".5", "-", "", "+1", "1e5", "1.5\n", " 1", "1..5", "--1", "1-"]);
        var random = new Random(7);
        for (var i = 0; i < 40_000; i++)
        {
            var length = random.Next(1, i % 2 == 0 ? 24 : 44);
            var chars = new char[length];
            for (var c = 0; c < length; c++)
                chars[c] = random.Next(12) switch
                {
                    10 => '.',
                    11 => random.Next(3) == 0 ? '-' : '0',
                    var d => (char)('0' + d),
                };
            texts.Add(new string(chars));
        }
        var answered = 0;
        var wide = 0;
        foreach (var text in texts)
        {
            var exact = Exact(text);
            var plain = PlainGrammar().IsMatch(text) && text.Count(char.IsAsciiDigit) <= 38 && exact is not null;
            var fromChars = ExactDecimal.TryParsePlain(text.AsSpan(), out var value);
            var fromBytes = ExactDecimal.TryParsePlain(
                System.Text.Encoding.UTF8.GetBytes(text).AsSpan(),
                out var bytes
            );
            Assert.That((fromChars, fromBytes), Is.EqualTo((plain, plain)), () => $"'{text}'");
            if (!plain)
                continue;
            answered++;
            wide += text.Count(char.IsAsciiDigit) > 19 ? 1 : 0;
            var bits = decimal.GetBits(exact!.Value);
            Assert.That(decimal.GetBits(value), Is.EqualTo(bits), () => $"'{text}' read as {value}");
            Assert.That(decimal.GetBits(bytes), Is.EqualTo(bits), () => $"'{text}' (UTF-8) read as {bytes}");
            Assert.That(decimal.GetBits(ExactDecimal.Parse(text).Value), Is.EqualTo(bits), () => $"'{text}' by Parse");
        }
        Assert.That(answered, Is.GreaterThan(2_000), "plain texts drawn");
        Assert.That(wide, Is.GreaterThan(500), "plain texts of 20 to 38 digits drawn");
    }

    /// <summary>The oracle, from the rule: the digits as one integer over ten to the places after the point, trailing
    /// zeros of the fraction dropped; a decimal when that integer fits 96 bits and the places are at most 28, zero
    /// without a sign; null otherwise (or when the text is not plain).</summary>
    private static decimal? Exact(string text)
    {
        if (!PlainGrammar().IsMatch(text))
            return null;
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        var point = body.IndexOf('.');
        var fraction = point < 0 ? "" : body[(point + 1)..].TrimEnd('0');
        var whole = point < 0 ? body : body[..point];
        var mantissa = BigInteger.Parse(whole + fraction, CultureInfo.InvariantCulture);
        if (mantissa.IsZero)
            return 0m;
        if (fraction.Length > 28 || mantissa > (BigInteger.One << 96) - 1)
            return null;
        var words = new int[3];
        for (var w = 0; w < 3; w++)
            words[w] = unchecked((int)(uint)((mantissa >> (32 * w)) & uint.MaxValue));
        return new decimal(words[0], words[1], words[2], negative, (byte)fraction.Length);
    }

    private static object JsonNet(Type type, string data) =>
        JsonConvert.DeserializeObject(data, type, LedgerJson.Settings) ?? throw new JsonException("null");

    private static string Dump(object? value) => StateDump.Of(value, collectionTypes: true);

    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?\z")]
    private static partial Regex PlainGrammar();
}
