using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using NJsonSchema;

namespace CrossMargin.Ledger.EventStore.Schemas;

/// <summary>
/// The JSON Schema of every event wire type, generated from the C# types (each the first time it is used) — the
/// same schemas that are published under <c>schemas/events/</c> (a test fails when those files are stale) — and
/// used to validate event data before any store appends it. The check each append makes is compiled from the
/// published document, embedded in this assembly; NJsonSchema generates a schema only for text that check is not sure
/// of.
/// </summary>
public static class EventSchemas
{
    private static readonly SchemaSet Set = new(
        EventTypeRegistry.Names,
        n => SchemaGeneration.For(EventTypeRegistry.TypeOf(n), n, decimalsMayBeNumbers: false),
        n => !EventTypeRegistry.IsRetired(n),
        n => SchemaSet.Embedded(typeof(EventSchemas).Assembly, "events", n)
    );

    /// <summary>The wire types whose schema did not compile (a keyword outside the subset): checked by NJsonSchema
    /// alone. Empty for the ledger's schemas; a test keeps it so.</summary>
    internal static IReadOnlyList<string> Uncompiled =>
        [.. Set.All.Keys.Where(n => !EventTypeRegistry.IsRetired(n) && Set.Check(n) is null)];

    /// <summary>The compiled check of one wire name, made from its published document (null for a retired shape,
    /// which is never appended).</summary>
    internal static CompiledSchema? Check(string name) => Set.Check(name);

    /// <summary>Whether the check of one wire name is made from its published document (embedded in this
    /// assembly).</summary>
    public static bool IsPublished(string name) => Set.IsPublished(name);

    /// <summary>The schema of one wire name (retired shapes included), generated the first time it is asked
    /// for.</summary>
    /// <exception cref="KeyNotFoundException">no event type has that wire name.</exception>
    public static JsonSchema Of(string name) => Set.Schema(name);

    /// <summary>Every event schema by wire name.</summary>
    public static IReadOnlyDictionary<string, JsonSchema> All => Set.All;

    /// <summary>
    /// The violations of <paramref name="data"/> against its type's schema, each with its path; empty when valid.
    /// The compiled check confirms valid data in one pass; whatever it is not sure of, NJsonSchema decides.
    /// </summary>
    public static IReadOnlyList<string> Violations(string type, string data)
    {
        if (!Set.Contains(type))
            return [$"unknown event type '{type}'"];
        if (EventTypeRegistry.IsRetired(type))
            return [$"{type} is a retired shape: readable in old logs, never appended"];
        if (Set.Check(type)?.CertainlyValid(data) == true)
            return [];
        return SlowViolations(Set.Schema(type), data);
    }

    /// <summary>The violations as NJsonSchema alone finds them.</summary>
    internal static IReadOnlyList<string> SlowViolations(JsonSchema schema, string data) =>
        [.. schema.Validate(data).Select(e => $"{(string.IsNullOrEmpty(e.Path) ? "#" : e.Path)}: {e.Kind}")];

    /// <summary>Throws <see cref="EventSchemaViolationException"/> for the first event that does not match.</summary>
    public static void Validate(IEnumerable<NewEvent> events)
    {
        foreach (var e in events)
        {
            var violations = Violations(e.Type, e.Data);
            if (violations.Count > 0)
                throw new EventSchemaViolationException(e.Type, violations);
        }
    }
}
