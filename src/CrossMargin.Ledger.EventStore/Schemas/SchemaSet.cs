using System.Collections.Frozen;
using NJsonSchema;

namespace CrossMargin.Ledger.EventStore.Schemas;

/// <summary>
/// Schemas by wire name, each generated from its type (and compiled, <see cref="CompiledSchema"/>) the first time
/// it is asked for: a process that appends a price update generates the schemas of the events it writes, not all
/// forty (about half a second of a fresh process's first append, most of it NJsonSchema's reflection).
/// </summary>
public sealed class SchemaSet
{
    private readonly FrozenDictionary<string, Lazy<(JsonSchema Schema, CompiledSchema? Check)>> entries;
    private readonly Lazy<FrozenDictionary<string, JsonSchema>> all;

    /// <param name="names">every name the set answers for.</param>
    /// <param name="generate">the schema of a name.</param>
    /// <param name="compiled">whether a name's schema is compiled (a schema that is never checked is not).</param>
    public SchemaSet(IEnumerable<string> names, Func<string, JsonSchema> generate, Func<string, bool> compiled)
    {
        entries = names.ToFrozenDictionary(
            n => n,
            n => new Lazy<(JsonSchema, CompiledSchema?)>(() =>
            {
                var schema = generate(n);
                return (schema, compiled(n) ? CompiledSchema.Compile(schema) : null);
            }),
            StringComparer.Ordinal
        );
        all = new(() => entries.ToFrozenDictionary(p => p.Key, p => p.Value.Value.Schema, StringComparer.Ordinal));
    }

    /// <summary>Every schema by name (all of them generated).</summary>
    public IReadOnlyDictionary<string, JsonSchema> All => all.Value;

    /// <summary>Whether <paramref name="name"/> is in the set.</summary>
    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>The schema of <paramref name="name"/> and its compiled check (null when it is not compiled or uses a
    /// keyword outside the compiled subset).</summary>
    /// <exception cref="KeyNotFoundException">the name is not in the set.</exception>
    public (JsonSchema Schema, CompiledSchema? Check) this[string name] => entries[name].Value;
}
