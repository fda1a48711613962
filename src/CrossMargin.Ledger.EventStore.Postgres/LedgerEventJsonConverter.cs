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
        (typeof(ILedgerEvent).IsAssignableFrom(typeToConvert) || typeof(IRetiredEvent).IsAssignableFrom(typeToConvert))
        && !typeToConvert.IsInterface;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Bridge<>).MakeGenericType(typeToConvert))!;

    private sealed class Bridge<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var name = EventTypeRegistry.NameOf(typeToConvert);
            var json = document.RootElement.GetRawText();
            // Marten may resolve an old row by the CLR type it was written as (mt_dotnet_type), which is now the .v2
            // event: data lacking a field the current shape requires is a retired shape, read as such and upcast
            if (
                EventTypeRegistry.RetiredShapesOf(name) is { Count: > 0 } retired
                && Lacks(name, document.RootElement)
                && retired.FirstOrDefault(r => !Lacks(r, document.RootElement)) is { } stored
            )
                return (T)((IRetiredEvent)EventTypeRegistry.ReadStored(stored, json)).Upcast();
            return (T)EventTypeRegistry.ReadStored(name, json);
        }

        /// <summary>Whether the data lacks a property the schema of <paramref name="name"/> requires, or has one it
        /// does not know.</summary>
        private static bool Lacks(string name, JsonElement data)
        {
            var schema = Schemas.EventSchemas.Of(name);
            foreach (var required in schema.RequiredProperties)
                if (!data.TryGetProperty(required, out _))
                    return true;
            foreach (var property in data.EnumerateObject())
                if (!schema.Properties.ContainsKey(property.Name))
                    return true;
            return false;
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteRawValue(LedgerJson.Serialize(value!), skipInputValidation: true);
    }
}
