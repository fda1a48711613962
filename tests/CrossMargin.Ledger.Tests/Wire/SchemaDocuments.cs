using System.Globalization;
using System.Text;
using NJsonSchema;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// JSON documents drawn from a published schema and bent on purpose: required fields dropped, unknown and repeated
/// keys, escaped key names, values of the wrong kind, nulls, decimal texts near the grammar's edges (a final newline
/// passes .NET's <c>$</c>), long and fractional numbers, text after the value, comments. The compiled schema check
/// and the compiled reader are both held to their slow counterparts over these.
/// </summary>
internal static class SchemaDocuments
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

    /// <summary>A document for <paramref name="schema"/>: mostly what it admits, sometimes not.</summary>
    public static string Draw(Random random, JsonSchema schema)
    {
        var json = new StringBuilder();
        Value(random, json, schema.ActualSchema, depth: 0);
        if (random.Next(100) == 0)
            json.Append(random.Next(2) == 0 ? " x" : " /* c */");
        return json.ToString();
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
