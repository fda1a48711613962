using CrossMargin.Ledger.Ledger;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Writes an <see cref="AccountId"/>, <see cref="Symbol"/> or <see cref="Asset"/> as its plain string, as the log has
/// always stored it; reads one back through its <c>ParseStored</c> (the rule, plus the final newline releases up to
/// 0.1.0 let through), so text that is not an id fails with the rule it breaks and the JSON path where it stands.
/// </summary>
public sealed class IdentifierConverter : JsonConverter
{
    /// <inheritdoc />
    public override bool CanConvert(Type objectType) =>
        (Nullable.GetUnderlyingType(objectType) ?? objectType) is var type
        && (type == typeof(AccountId) || type == typeof(Symbol) || type == typeof(Asset));

    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        if (value is null)
            writer.WriteNull();
        else
            writer.WriteValue(value.ToString());
    }

    /// <inheritdoc />
    public override object? ReadJson(
        JsonReader reader,
        Type objectType,
        object? existingValue,
        JsonSerializer serializer
    )
    {
        if (reader.TokenType == JsonToken.Null && Nullable.GetUnderlyingType(objectType) is not null)
            return null;
        if (reader.TokenType != JsonToken.String)
            throw new JsonSerializationException($"{reader.Path}: expected a string, found {reader.TokenType}");
        var text = (string)reader.Value!;
        var type = Nullable.GetUnderlyingType(objectType) ?? objectType;
        return type == typeof(AccountId) ? Read(AccountId.ParseStored(text), reader)
            : type == typeof(Symbol) ? Read(Symbol.ParseStored(text), reader)
            : Read(Asset.ParseStored(text), reader);
    }

    private static object Read<T>(Checked<T> parsed, JsonReader reader) =>
        parsed.Is(out var value, out var problem)
            ? value!
            : throw new JsonSerializationException($"{reader.Path}: {problem}");
}
