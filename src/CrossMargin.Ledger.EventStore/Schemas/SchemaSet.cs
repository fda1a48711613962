using System.Collections.Frozen;
using NJsonSchema;

namespace CrossMargin.Ledger.EventStore.Schemas;

/// <summary>
/// Schemas by wire name. Each name's compiled check (<see cref="CompiledSchema"/>) is made the first time it is asked
/// for, from the published document when there is one: a process that appends a price update reads one small JSON
/// file and never starts NJsonSchema. The NJsonSchema schema, generated from the type, is made only when asked for: the
/// rare text the compiled check is not sure of, the published documents' test, the <c>schemas</c> verb. Generating
/// one costs a fresh process about a fifth of a second, most of it NJsonSchema's reflection; a test keeps the published
/// documents exactly what generation writes, so both answer for the same schema.
/// </summary>
public sealed class SchemaSet
{
    private readonly FrozenDictionary<string, (Lazy<JsonSchema> Schema, Lazy<CompiledSchema?> Check)> entries;
    private readonly Lazy<FrozenDictionary<string, JsonSchema>> all;
    private readonly Func<string, string?>? published;

    /// <param name="names">every name the set answers for.</param>
    /// <param name="generate">the schema of a name.</param>
    /// <param name="compiled">whether a name's schema is compiled (a schema that is never checked is not).</param>
    /// <param name="published">the published document of a name's schema (the text <paramref name="generate"/>'s
    /// schema writes), or null to compile the generated one.</param>
    public SchemaSet(
        IEnumerable<string> names,
        Func<string, JsonSchema> generate,
        Func<string, bool> compiled,
        Func<string, string?>? published = null
    )
    {
        this.published = published;
        entries = names.ToFrozenDictionary(
            n => n,
            n =>
            {
                var schema = new Lazy<JsonSchema>(() => generate(n));
                var check = new Lazy<CompiledSchema?>(() =>
                    !compiled(n) ? null
                    : published?.Invoke(n) is { } text ? CompiledSchema.Compile(text)
                    : CompiledSchema.Compile(schema.Value)
                );
                return (schema, check);
            },
            StringComparer.Ordinal
        );
        all = new(() => entries.ToFrozenDictionary(p => p.Key, p => p.Value.Schema.Value, StringComparer.Ordinal));
    }

    /// <summary>Every schema by name (all of them generated).</summary>
    public IReadOnlyDictionary<string, JsonSchema> All => all.Value;

    /// <summary>Whether <paramref name="name"/> is in the set.</summary>
    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>The schema of <paramref name="name"/>, generated the first time it is asked for.</summary>
    /// <exception cref="KeyNotFoundException">the name is not in the set.</exception>
    public JsonSchema Schema(string name) => entries[name].Schema.Value;

    /// <summary>The compiled check of <paramref name="name"/>: null when it is not compiled or uses a keyword outside
    /// the compiled subset.</summary>
    /// <exception cref="KeyNotFoundException">the name is not in the set.</exception>
    public CompiledSchema? Check(string name) => entries[name].Check.Value;

    /// <summary>Whether <paramref name="name"/> has a published document (its compiled check, when it has one, is made
    /// from it).</summary>
    /// <exception cref="KeyNotFoundException">the name is not in the set.</exception>
    public bool IsPublished(string name) =>
        entries.ContainsKey(name)
            ? published?.Invoke(name) is not null
            : throw new KeyNotFoundException($"'{name}' is not in the set");

    /// <summary>
    /// The published document of a schema, embedded in <paramref name="assembly"/> under
    /// <c>{folder}/{name}.schema.json</c> (the project embeds its folder of <c>schemas/</c>), or null when there is
    /// none.
    /// </summary>
    public static string? Embedded(System.Reflection.Assembly assembly, string folder, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"{folder}/{name}.schema.json");
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
