using System.Globalization;
using System.Text;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The fast canonical path (System.Text.Json) against the Json.NET reader every stored hash was taken with: where the
/// fast path gives a text, it is the same text, byte for byte in UTF-8; where it gives none, <see
/// cref="CanonicalJson.Of(string)"/> answers as before.
/// </summary>
public sealed class CanonicalJsonProperties
{
    [Test]
    public void The_fast_path_writes_the_json_net_text_for_fifty_thousand_random_documents()
    {
        var fast = 0;
        for (var seed = 0; seed < 50_000; seed++)
        {
            var random = new Random(seed);
            var json = new StringBuilder();
            Value(random, json, depth: 0);
            var text = json.ToString();
            if (CanonicalJson.Fast(text) is not { } actual)
                continue;
            fast++;
            // where the fast path answers, Json.NET reads the same document (it would throw otherwise)
            var expected = CanonicalJson.ByJsonNet(text);
            Assert.That(
                Encoding.UTF8.GetBytes(actual),
                Is.EqualTo(Encoding.UTF8.GetBytes(expected)),
                () => $"seed {seed}: {text}"
            );
        }
        Assert.That(fast, Is.GreaterThan(45_000), "the fast path took almost every standard document");
    }

    [Test]
    public void Every_event_types_stored_data_takes_the_fast_path_to_the_same_text()
    {
        foreach (var e in Samples.OneOfEach())
        {
            var (type, data) = EventTypeRegistry.Serialize(e);
            Assert.That(CanonicalJson.Fast(data), Is.EqualTo(CanonicalJson.ByJsonNet(data)), type);
        }
    }

    [Test]
    public void Event_metadata_is_written_as_the_canonical_text_of_its_serialised_form()
    {
        string? Text(Random random) =>
            random.Next(10) == 0
                ? null
                : string.Concat(Enumerable.Range(0, random.Next(6)).Select(_ => Pieces[random.Next(Pieces.Length)]));
        for (var seed = 0; seed < 20_000; seed++)
        {
            var random = new Random(seed);
            var metadata = new EventStore.Port.EventMetadata(
                Text(random)!,
                Text(random)!,
                Text(random)!,
                Text(random)!,
                Text(random)!
            );
            var expected = CanonicalJson.Of(LedgerJson.Serialize(metadata));
            Assert.That(
                Encoding.UTF8.GetBytes(EventHash.CanonicalMetadataOf(metadata)),
                Is.EqualTo(Encoding.UTF8.GetBytes(expected)),
                () => $"seed {seed}: {expected}"
            );
        }
    }

    [TestCase("""{"a":1,"a":2}""")]
    [TestCase("""{"a":1.5}""")]
    [TestCase("""{"a":1e3}""")]
    [TestCase("""{"a":1} x""")]
    [TestCase("""{"a":/* c */1}""")]
    [TestCase("""{'a':'b'}""")]
    public void What_the_fast_path_refuses_gets_the_answer_it_always_got(string json)
    {
        Assert.That(CanonicalJson.Fast(json), Is.Null);
        string? before = null,
            after = null;
        try
        {
            before = CanonicalJson.ByJsonNet(json);
        }
        catch (JsonException e)
        {
            before = e.GetType().Name + ": " + e.Message;
        }
        try
        {
            after = CanonicalJson.Of(json);
        }
        catch (JsonException e)
        {
            after = e.GetType().Name + ": " + e.Message;
        }
        Assert.That(after, Is.EqualTo(before));
    }

    private static IEnumerable<TestCaseData> Boundaries()
    {
        yield return new TestCaseData("[" + new string('1', 380) + "]").SetName("an integer of 380 digits");
        yield return new TestCaseData("[" + new string('1', 381) + "]").SetName("an integer of 381 digits");
        yield return new TestCaseData("[-" + new string('1', 379) + "]").SetName(
            "a negative integer of 380 characters"
        );
        yield return new TestCaseData("[-" + new string('1', 380) + "]").SetName(
            "a negative integer of 381 characters"
        );
        yield return new TestCaseData(new string('[', 64) + new string(']', 64)).SetName("arrays 64 deep");
        yield return new TestCaseData(new string('[', 65) + new string(']', 65)).SetName("arrays 65 deep");
        yield return new TestCaseData("\ufeff{\"a\":1}").SetName("a byte-order mark");
        yield return new TestCaseData(" 7 ").SetName("a top-level integer with whitespace");
    }

    /// <summary>At the edges of what either reader takes, <see cref="CanonicalJson.Of(string)"/> answers as Json.NET
    /// does: the same text, or the same refusal.</summary>
    [TestCaseSource(nameof(Boundaries))]
    public void At_the_readers_limits_the_answer_is_json_nets(string json) =>
        Assert.That(Outcome(() => CanonicalJson.Of(json)), Is.EqualTo(Outcome(() => CanonicalJson.ByJsonNet(json))));

    private static string Outcome(Func<string> canonical)
    {
        try
        {
            return canonical();
        }
        catch (JsonException e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static readonly string[] Pieces =
    [
        "a",
        "Z",
        "é",
        "€",
        "𝄞",
        "\"",
        "\\",
        "/",
        "\n",
        "\r",
        "\t",
        "\b",
        "\f",
        "\u0000",
        "\u001f",
        "\u007f",
        "\u0085",
        "\u2028",
        "\u2029",
        "\ud800",
        "<",
        "'",
        " ",
        "0.1",
        "-",
    ];

    private static void Value(Random random, StringBuilder json, int depth)
    {
        switch (random.Next(depth > 4 ? 5 : 7))
        {
            case 0:
                String(random, json);
                break;
            case 1:
                json.Append(
                    random.Next(4) switch
                    {
                        0 => random.Next(-1_000, 1_000).ToString(CultureInfo.InvariantCulture),
                        1 => "-0",
                        2 => ((long)random.Next() * random.Next() * (random.Next(2) == 0 ? -1 : 1)).ToString(
                            CultureInfo.InvariantCulture
                        ),
                        _ => "123456789012345678901234567890",
                    }
                );
                break;
            case 2:
                json.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case 3:
                json.Append("null");
                break;
            case 4:
                String(random, json);
                break;
            case 5:
                json.Append('[');
                for (var i = random.Next(4); i > 0; i--)
                {
                    Value(random, json, depth + 1);
                    if (i > 1)
                        json.Append(',').Append(random.Next(3) == 0 ? " " : "");
                }
                json.Append(']');
                break;
            default:
                json.Append('{');
                var keys = new HashSet<string>(StringComparer.Ordinal);
                for (var i = random.Next(6); i > 0; i--)
                {
                    var key = new StringBuilder();
                    String(random, key);
                    if (!keys.Add(key.ToString()))
                        continue;
                    if (keys.Count > 1)
                        json.Append(',');
                    json.Append(random.Next(3) == 0 ? "\n  " : "").Append(key).Append(':');
                    Value(random, json, depth + 1);
                }
                json.Append('}');
                break;
        }
    }

    /// <summary>A JSON string of random pieces, each written plainly or as an escape sequence.</summary>
    private static void String(Random random, StringBuilder json)
    {
        json.Append('"');
        for (var i = random.Next(5); i > 0; i--)
        {
            var piece = Pieces[random.Next(Pieces.Length)];
            foreach (var c in piece)
            {
                var mustEscape = c < ' ' || c == '"' || c == '\\' || char.IsSurrogate(c) && piece.Length == 1;
                if (mustEscape || random.Next(6) == 0)
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else
                    json.Append(c);
            }
        }
        json.Append('"');
    }
}
