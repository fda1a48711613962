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
    /// <summary>Canonical text of JSON text.</summary>
    public static string Of(string json)
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
