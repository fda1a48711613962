using System.Text.Json;
using System.Text.Json.Serialization;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// Lets Marten's System.Text.Json serializer write and read ledger events in the ledger's one JSON dialect
/// (<see cref="LedgerJson"/>: camelCase, decimals as canonical strings). The event's data in
/// <c>mt_events.data</c> is therefore the same document the SQLite store keeps as text, and reading it
/// back yields the exact event that was hashed.
/// </summary>
internal sealed class LedgerEventJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        (typeof(ILedgerEvent).IsAssignableFrom(typeToConvert) || typeof(IRetiredEvent).IsAssignableFrom(typeToConvert)) && !typeToConvert.IsInterface;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Bridge<>).MakeGenericType(typeToConvert))!;

    private sealed class Bridge<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return (T)EventTypeRegistry.ReadStored(EventTypeRegistry.NameOf(typeToConvert), document.RootElement.GetRawText());
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteRawValue(LedgerJson.Serialize(value!), skipInputValidation: true);
    }
}
