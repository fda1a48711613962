using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>The one JSON dialect of the ledger: camelCase, decimals as canonical strings, ids as plain strings, nulls
/// written, no floats, no date parsing.</summary>
public static class LedgerJson
{
    /// <summary>Settings for event data, metadata and reports.</summary>
    public static JsonSerializerSettings Settings { get; } = Create();

    /// <summary>A serializer with <see cref="Settings"/>.</summary>
    public static JsonSerializer Serializer { get; } = JsonSerializer.Create(Settings);

    private static JsonSerializerSettings Create() =>
        new()
        {
            ContractResolver = new CamelCasePropertyNamesContractResolver(),
            Converters =
            {
                new DecimalStringConverter(),
                new IdentifierConverter(),
                new StringEnumConverter(new CamelCaseNamingStrategy()),
            },
            Formatting = Formatting.None,
            NullValueHandling = NullValueHandling.Include,
            FloatParseHandling = FloatParseHandling.Decimal,
            DateParseHandling = DateParseHandling.None,
            MissingMemberHandling = MissingMemberHandling.Error,
            MetadataPropertyHandling = MetadataPropertyHandling.Ignore,
            TypeNameHandling = TypeNameHandling.None,
        };

    /// <summary>Serializes with <see cref="Settings"/>.</summary>
    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);
}
