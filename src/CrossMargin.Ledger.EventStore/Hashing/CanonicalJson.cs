using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.EventStore.Hashing;

/// <summary>
/// The canonical text of a JSON value, which hashes are taken over: object keys sorted by ordinal,
/// no whitespace, strings escaped the same way, integers as written. It is re-derivable from the
/// parsed value, so a store that re-formats JSON (PostgreSQL's jsonb reorders keys) still verifies.
/// Event data holds only strings, integers, booleans, nulls, arrays and objects (decimals are strings).
/// </summary>
public static class CanonicalJson
{
    /// <summary>
    /// Canonical text of JSON text. Standard JSON (what the ledger writes) takes a fast path over
    /// <see cref="System.Text.Json.JsonDocument"/>; anything it refuses (a duplicate key, a number that is not an
    /// integer, a comment, the lenient forms Json.NET reads) goes through the Json.NET reader, which gives the
    /// canonical text or the error it always gave. Both write strings with Json.NET's escaping, so the text is the
    /// same either way (a property test holds them to it).
    /// </summary>
    public static string Of(string json) => Fast(json) ?? ByJsonNet(json);

    /// <summary>The canonical text by the Json.NET reader alone (what <see cref="Of(string)"/> falls back
    /// to).</summary>
    internal static string ByJsonNet(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
        };
        var token = JToken.Load(reader, Strict);
        if (reader.Read())
            throw new JsonReaderException($"text after the JSON value, at character {reader.LinePosition}");
        return Of(token);
    }

    /// <summary>
    /// A key given twice is refused, never resolved: JSON readers disagree on which value wins (this reader
    /// the last, SQL's <c>json_extract</c> the first), so one stored text could mean two events.
    /// </summary>
    private static readonly JsonLoadSettings Strict = new()
    {
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
    };

    /// <summary>Canonical text of a parsed value.</summary>
    public static string Of(JToken token)
    {
        var sb = new StringBuilder();
        Write(sb, token);
        return sb.ToString();
    }

    /// <summary>
    /// The canonical text of an object whose fields are all strings (or null), given in the ordinal order of their
    /// names: what <see cref="Of(string)"/> gives for the object's JSON, written without parsing anything.
    /// </summary>
    internal static string OfSortedStrings(params ReadOnlySpan<(string Name, string? Value)> fields)
    {
        var sb = new StringBuilder(160).Append('{');
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                sb.Append(',');
            Quoted(sb, fields[i].Name).Append(':');
            if (fields[i].Value is { } value)
                Quoted(sb, value);
            else
                sb.Append("null");
        }
        return sb.Append('}').ToString();
    }

    /// <summary>The canonical text of standard JSON holding only strings, integers, booleans, nulls, arrays and
    /// objects with distinct keys; null for anything else.</summary>
    internal static string? Fast(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var sb = new StringBuilder(json.Length);
            return Write(sb, document.RootElement) ? sb.ToString() : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // not JSON to this reader, or a lone surrogate (raw or escaped) it will not turn into UTF-8
            return null;
        }
    }

    private static bool Write(StringBuilder sb, System.Text.Json.JsonElement element)
    {
        switch (element.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Object:
                var properties = new List<(string Name, System.Text.Json.JsonElement Value)>();
                foreach (var p in element.EnumerateObject())
                    properties.Add((p.Name, p.Value));
                properties.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
                sb.Append('{');
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        // a key given twice is for the strict reader to refuse
                        if (properties[i].Name == properties[i - 1].Name)
                            return false;
                        sb.Append(',');
                    }
                    Quoted(sb, properties[i].Name).Append(':');
                    if (!Write(sb, properties[i].Value))
                        return false;
                }
                sb.Append('}');
                return true;
            case System.Text.Json.JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                        sb.Append(',');
                    first = false;
                    if (!Write(sb, item))
                        return false;
                }
                sb.Append(']');
                return true;
            case System.Text.Json.JsonValueKind.String:
                Quoted(sb, element.GetString()!);
                return true;
            case System.Text.Json.JsonValueKind.Number:
                var raw = element.GetRawText();
                // Json.NET refuses an integer beyond a long written in more than 380 characters
                if (raw.Length > 380 || raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
                    return false;
                sb.Append(
                    long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                        ? whole.ToString(CultureInfo.InvariantCulture)
                        : System
                            .Numerics.BigInteger.Parse(raw, CultureInfo.InvariantCulture)
                            .ToString(CultureInfo.InvariantCulture)
                );
                return true;
            case System.Text.Json.JsonValueKind.True:
                sb.Append("true");
                return true;
            case System.Text.Json.JsonValueKind.False:
                sb.Append("false");
                return true;
            case System.Text.Json.JsonValueKind.Null:
                sb.Append("null");
                return true;
            default:
                return false;
        }
    }

    // the characters Json.NET escapes in a double-quoted string (every other character it writes as it is)
    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"
            + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"
            + "\"\\\u0085\u2028\u2029"
    );

    /// <summary>A string as Json.NET writes it: quoted as it is when nothing in it needs escaping.</summary>
    internal static StringBuilder Quoted(StringBuilder sb, string text) =>
        text.AsSpan().IndexOfAny(Escaped) < 0
            ? sb.Append('"').Append(text).Append('"')
            : sb.Append(JsonConvert.ToString(text));

    private static void Write(StringBuilder sb, JToken token)
    {
        switch (token)
        {
            case JObject o:
                sb.Append('{');
                var first = true;
                foreach (var p in o.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                        sb.Append(',');
                    first = false;
                    sb.Append(JsonConvert.ToString(p.Name)).Append(':');
                    Write(sb, p.Value);
                }
                sb.Append('}');
                break;
            case JArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    Write(sb, a[i]);
                }
                sb.Append(']');
                break;
            case JValue { Type: JTokenType.String } s:
                sb.Append(JsonConvert.ToString((string)s.Value!));
                break;
            case JValue { Type: JTokenType.Integer } i:
                sb.Append(Convert.ToString(i.Value, CultureInfo.InvariantCulture));
                break;
            case JValue { Type: JTokenType.Boolean } b:
                sb.Append((bool)b.Value! ? "true" : "false");
                break;
            case JValue { Type: JTokenType.Null }:
                sb.Append("null");
                break;
            default:
                throw new JsonException(
                    $"{token.Path}: {token.Type} has no canonical form (ledger JSON holds decimals as strings)"
                );
        }
    }
}
