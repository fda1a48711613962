using System.Collections.Frozen;
using System.Reflection;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Maps stored wire names (<c>trade-filled.v1</c>) to event types and back. Built once from the
/// <see cref="WireNameAttribute"/> of every <see cref="ILedgerEvent"/> in the core; a missing or
/// duplicated name fails at start-up, not on the first read of an old log. Retired shapes
/// (<see cref="IRetiredEvent"/>, e.g. <c>mark-price-updated.v1</c>) are read as stored and upcast to the
/// current event before any fold sees them; they are never written.
/// </summary>
public static class EventTypeRegistry
{
    private static readonly FrozenDictionary<string, Type> ByName;
    private static readonly FrozenDictionary<Type, string> ByType;
    private static readonly FrozenSet<string> RetiredNames;
    private static readonly FrozenDictionary<string, string[]> RetiredByCurrent;

    static EventTypeRegistry()
    {
        var types = typeof(ILedgerEvent)
            .Assembly.GetTypes()
            .Where(t =>
                (typeof(ILedgerEvent).IsAssignableFrom(t) || typeof(IRetiredEvent).IsAssignableFrom(t))
                && t is { IsInterface: false, IsAbstract: false }
            )
            .ToArray();
        var missing = types.Where(t => t.GetCustomAttribute<WireNameAttribute>() is null).Select(t => t.Name).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException($"event types without a wire name: {string.Join(", ", missing)}");
        ByType = types.ToFrozenDictionary(t => t, t => t.GetCustomAttribute<WireNameAttribute>()!.Name);
        ByName = ByType.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        RetiredNames = ByName
            .Where(p => typeof(IRetiredEvent).IsAssignableFrom(p.Value))
            .Select(p => p.Key)
            .ToFrozenSet(StringComparer.Ordinal);
        // a retired shape shares its current event's name up to the version: mark-price-updated.v1 →
        // mark-price-updated.v2
        RetiredByCurrent = ByName
            .Keys.Where(n => !RetiredNames.Contains(n))
            .ToFrozenDictionary(
                n => n,
                n => RetiredNames.Where(r => Stem(r) == Stem(n)).OrderDescending(StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal
            );
    }

    /// <summary>Every wire name, retired ones included, sorted.</summary>
    public static IReadOnlyList<string> Names => [.. ByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The retired shapes of the event stored as <paramref name="name"/> (its earlier versions), newest
    /// first.</summary>
    public static IReadOnlyList<string> RetiredShapesOf(string name) =>
        RetiredByCurrent.TryGetValue(name, out var shapes) ? shapes : [];

    /// <summary>Whether <paramref name="name"/> is a retired shape: readable, never appended.</summary>
    public static bool IsRetired(string name) => RetiredNames.Contains(name);

    private static string Stem(string name) => name[..name.LastIndexOf(".v", StringComparison.Ordinal)];

    /// <summary>The CLR type stored under <paramref name="name"/>.</summary>
    public static Type TypeOf(string name) =>
        ByName.TryGetValue(name, out var type)
            ? type
            : throw new JsonSerializationException($"unknown event type '{name}'");

    /// <summary>The wire name of an event type.</summary>
    public static string NameOf(Type type) => ByType[type];

    /// <summary>The wire name and canonical JSON data of an event.</summary>
    public static (string Type, string Data) Serialize(ILedgerEvent @event) =>
        (NameOf(@event.GetType()), LedgerJson.Serialize(@event));

    /// <summary>A stored event as the folds see it: position, stream, command and the deserialized event.</summary>
    public static LoggedEvent Logged(Port.StoredEvent e) =>
        new(e.GlobalPosition, e.Stream, e.Metadata.CommandId, Deserialize(e.Type, e.Data));

    /// <summary>The log after <paramref name="after"/> up to <paramref name="to"/> (the head when null), as the folds
    /// see it, in global order.</summary>
    public static async IAsyncEnumerable<LoggedEvent> ReadLoggedAsync(
        Port.IEventStore store,
        long after = 0,
        long? to = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        await foreach (var e in store.ReadTextsAsync(after, to, cancellationToken).ConfigureAwait(false))
            yield return new LoggedEvent(e.GlobalPosition, e.Stream, e.CommandId, Deserialize(e));
    }

    /// <summary>Reads stored data of a wire type back into its event, upcasting a retired shape to the current
    /// event.</summary>
    public static ILedgerEvent Deserialize(string type, string data) => Current(ReadStored(type, data));

    /// <summary>Reads a stored event back into its event as <see cref="Deserialize(string, string)"/> does, from the
    /// data's UTF-8 bytes when the store read them so (<see cref="Port.EventText.DataUtf8"/>).</summary>
    public static ILedgerEvent Deserialize(Port.EventText e) => Current(ReadStored(e));

    /// <summary>A stored shape as the current event: a retired one upcast.</summary>
    private static ILedgerEvent Current(object stored) =>
        stored switch
        {
            IRetiredEvent retired => retired.Upcast(),
            var current => (ILedgerEvent)current,
        };

    private static object ReadStored(Port.EventText e)
    {
        if (!e.HasDataUtf8)
            return ReadStored(e.Type, e.Data);
        var clrType = TypeOf(e.Type);
        return CompiledReader.TryRead(clrType, e.DataUtf8, out var value) ? value : ByJsonNet(e.Type, clrType, e.Data);
    }

    /// <summary>Reads stored data into the type it was stored as (a retired shape stays retired): what hashes and wire
    /// round trips use. The <see cref="CompiledReader"/> reads the ledger's own text; Json.NET whatever it
    /// declines, with the same result.</summary>
    public static object ReadStored(string type, string data)
    {
        var clrType = TypeOf(type);
        return CompiledReader.TryRead(clrType, data, out var value) ? value : ByJsonNet(type, clrType, data);
    }

    /// <summary>What Json.NET reads <paramref name="data"/> as: the text the compiled reader declines.</summary>
    private static object ByJsonNet(string type, Type clrType, string data) =>
        JsonConvert.DeserializeObject(data, clrType, LedgerJson.Settings)
        ?? throw new JsonSerializationException($"{type}: data is null");

    /// <summary>The canonical JSON of stored data as its stored type (jsonb keeps neither key order nor
    /// spacing).</summary>
    public static string CanonicalStored(string type, string data) => LedgerJson.Serialize(ReadStored(type, data));
}
