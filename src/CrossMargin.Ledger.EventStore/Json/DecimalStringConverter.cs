using System.Globalization;
using CrossMargin.Ledger.Arithmetic;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Writes every decimal as a JSON string in canonical form (trailing zeros dropped: <c>"1.5"</c>), so no
/// reader ever sees a binary float and equal amounts always hash the same; reads a string or a number exactly.
/// </summary>
public sealed class DecimalStringConverter : JsonConverter
{
    /// <inheritdoc />
    public override bool CanConvert(Type objectType) => objectType == typeof(decimal) || objectType == typeof(decimal?);

    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        if (value is decimal d)
            writer.WriteValue(Format(d));
        else
            writer.WriteNull();
    }

    /// <inheritdoc />
    public override object? ReadJson(
        JsonReader reader,
        Type objectType,
        object? existingValue,
        JsonSerializer serializer
    )
    {
        if (reader.TokenType == JsonToken.Null && objectType == typeof(decimal?))
            return null;
        var text = reader.TokenType switch
        {
            JsonToken.String => (string)reader.Value!,
            JsonToken.Float or JsonToken.Integer => Convert.ToString(reader.Value, CultureInfo.InvariantCulture)!,
            _ => throw new JsonSerializationException(
                $"{reader.Path}: expected a decimal string, found {reader.TokenType}"
            ),
        };
        var parsed = ExactDecimal.Parse(text);
        return parsed.IsValid ? parsed.Value : throw new JsonSerializationException($"{reader.Path}: {parsed.Problem}");
    }

    /// <summary>The canonical text of a decimal: invariant culture, no exponent, no trailing zeros.</summary>
    public static string Format(decimal value) => Rounding.Normalize(value).ToString(CultureInfo.InvariantCulture);
}
