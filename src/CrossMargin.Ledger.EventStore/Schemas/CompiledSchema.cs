using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrossMargin.Ledger.EventStore.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace CrossMargin.Ledger.EventStore.Schemas;

/// <summary>
/// A JSON Schema compiled for the question every append asks of every event: does this text certainly satisfy
/// its schema? <c>true</c> means NJsonSchema's validator reports no violation for it; <c>false</c> means "not
/// sure", and the caller asks NJsonSchema, which finds the violations with their paths, or none. So the answer
/// of a check never changes, only its cost: the ledger's own well-formed events (all of them, in practice) are
/// confirmed in one forward pass over the text instead of a token tree, and anything unusual takes the old path.
/// A property test holds the two to that contract over random and mutated documents.
/// <para>
/// The subset the ledger's schemas use: <c>type</c> (one or several, with <c>null</c>), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c> true or false, <c>items</c> (one schema), <c>$ref</c>,
/// <c>pattern</c> and an <c>enum</c> of strings, following NJsonSchema's reading of each (a pattern is a .NET
/// <see cref="Regex"/>, so <c>$</c> also matches before a final newline). A schema with any other keyword does not
/// compile (<see cref="Compile"/> returns null) and is always checked by NJsonSchema.
/// </para>
/// </summary>
public sealed class CompiledSchema
{
    private const JsonObjectType KnownTypes =
        JsonObjectType.Array
        | JsonObjectType.Boolean
        | JsonObjectType.Integer
        | JsonObjectType.Null
        | JsonObjectType.Number
        | JsonObjectType.Object
        | JsonObjectType.String;

    private readonly Node root;

    private CompiledSchema(Node root) => this.root = root;

    /// <summary>The compiled form of <paramref name="schema"/>, or null when it uses a keyword outside the
    /// subset.</summary>
    public static CompiledSchema? Compile(JsonSchema schema)
    {
        var patterns = new Dictionary<string, Regex>(StringComparer.Ordinal);
        var nodes = new Dictionary<JsonSchema, Node>(ReferenceEqualityComparer.Instance);
        return Build(schema.ActualSchema, nodes, patterns) is { } root ? new CompiledSchema(root) : null;
    }

    /// <summary>
    /// Whether NJsonSchema certainly finds no violation in <paramref name="json"/>. False for any text this pass
    /// does not read the way Json.NET does (comments, duplicate keys, numbers with exponents or beyond 18 integer
    /// digits, text after the value, invalid UTF-16) as well as for text that breaks the schema.
    /// </summary>
    public bool CertainlyValid(string json)
    {
        byte[] utf8;
        try
        {
            utf8 = StrictJson.Utf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(utf8, StrictJson.ReaderOptions);
            return reader.Read() && Value(ref reader, root, propertyNullable: false) && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // a string with an escaped lone surrogate cannot be read as a .NET string
            return false;
        }
    }

    /// <summary>Whether NJsonSchema certainly finds no violation in a token tree already parsed.</summary>
    public bool CertainlyValid(JToken token) => Value(token, root, propertyNullable: false, depth: 0);

    // ---- the forward pass over UTF-8 text ----

    private static bool Value(ref Utf8JsonReader reader, Node node, bool propertyNullable)
    {
        if (node.NullOr is { } inner)
            return reader.TokenType == JsonTokenType.Null || Value(ref reader, inner, propertyNullable: false);
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return NullFits(node, propertyNullable);
            case JsonTokenType.String:
                return Admits(node, JsonObjectType.String)
                    && !node.RequiresObject
                    && (node.Pattern is null && node.Enum is null || StringFits(node, reader.GetString()!));
            case JsonTokenType.Number:
                return NumberKind(reader.ValueSpan) is { } kind
                    && (Admits(node, kind) || kind == JsonObjectType.Integer && Admits(node, JsonObjectType.Number))
                    && !node.RequiresObject
                    && node.Enum is null;
            case JsonTokenType.True:
            case JsonTokenType.False:
                return Admits(node, JsonObjectType.Boolean) && !node.RequiresObject && node.Enum is null;
            case JsonTokenType.StartArray:
                if (!Admits(node, JsonObjectType.Array) || node.RequiresObject || node.Enum is not null)
                    return false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (node.Items is null)
                        reader.Skip();
                    else if (!Value(ref reader, node.Items, propertyNullable: false))
                        return false;
                }
                return reader.TokenType == JsonTokenType.EndArray;
            case JsonTokenType.StartObject:
                if (!Admits(node, JsonObjectType.Object) || node.Enum is not null)
                    return false;
                var seen = 0UL;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var property = node.Find(ref reader);
                    // an unknown key (even where allowed) or a key given twice: Json.NET decides, not this pass
                    if (property is null || (seen & property.Bit) != 0 || !reader.Read())
                        return false;
                    seen |= property.Bit;
                    if (!Value(ref reader, property.Schema, property.Nullable))
                        return false;
                }
                return reader.TokenType == JsonTokenType.EndObject && (seen & node.RequiredMask) == node.RequiredMask;
            default:
                return false;
        }
    }

    /// <summary>
    /// Integer for a JSON number Json.NET reads as a 64-bit integer, Number for one without an exponent that it reads
    /// as a double of at most 27 characters, null for anything else (NJsonSchema converts numbers to decimal, and
    /// what it does with the others is for it to say).
    /// </summary>
    private static JsonObjectType? NumberKind(ReadOnlySpan<byte> text)
    {
        if (text.IndexOfAny("eE"u8) >= 0)
            return null;
        if (text.IndexOf((byte)'.') < 0)
            return text.Length - (text[0] == (byte)'-' ? 1 : 0) <= 18 ? JsonObjectType.Integer : null;
        return text.Length <= 27 ? JsonObjectType.Number : null;
    }

    // ---- the same rules over a parsed token tree ----

    private static bool Value(JToken token, Node node, bool propertyNullable, int depth)
    {
        if (depth > StrictJson.MaxDepth)
            return false;
        if (node.NullOr is { } inner)
            return token.Type == JTokenType.Null || Value(token, inner, propertyNullable: false, depth);
        switch (token.Type)
        {
            case JTokenType.Null:
                return NullFits(node, propertyNullable);
            case JTokenType.String:
                return Admits(node, JsonObjectType.String)
                    && !node.RequiresObject
                    && (node.Pattern is null && node.Enum is null || StringFits(node, (string)token!));
            case JTokenType.Integer:
                return ((JValue)token).Value is long
                    && (Admits(node, JsonObjectType.Integer) || Admits(node, JsonObjectType.Number))
                    && !node.RequiresObject
                    && node.Enum is null;
            case JTokenType.Float:
                return ((JValue)token).Value is decimal
                    && Admits(node, JsonObjectType.Number)
                    && !node.RequiresObject
                    && node.Enum is null;
            case JTokenType.Boolean:
                return Admits(node, JsonObjectType.Boolean) && !node.RequiresObject && node.Enum is null;
            case JTokenType.Array:
                if (!Admits(node, JsonObjectType.Array) || node.RequiresObject || node.Enum is not null)
                    return false;
                foreach (var item in (JArray)token)
                    if (node.Items is not null && !Value(item, node.Items, propertyNullable: false, depth + 1))
                        return false;
                    else if (node.Items is null && depth + 1 > StrictJson.MaxDepth)
                        return false;
                return true;
            case JTokenType.Object:
                if (!Admits(node, JsonObjectType.Object) || node.Enum is not null)
                    return false;
                var seen = 0UL;
                foreach (var (name, value) in (JObject)token)
                {
                    if (node.Find(name) is not { } property || value is null)
                        return false;
                    seen |= property.Bit;
                    if (!Value(value, property.Schema, property.Nullable, depth + 1))
                        return false;
                }
                return (seen & node.RequiredMask) == node.RequiredMask;
            default:
                // dates, GUIDs, URIs, raw values, comments: what NJsonSchema makes of them is for it to say
                return false;
        }
    }

    // ---- shared ----

    /// <summary>
    /// A null where the property is nullable is not looked at further; one the schema itself admits passes its
    /// type, but NJsonSchema still reports the required properties a non-object lacks unless the type admits null.
    /// </summary>
    private static bool NullFits(Node node, bool propertyNullable) =>
        propertyNullable || node.Nullable && !node.RequiresObject && node.Enum is null;

    private static bool Admits(Node node, JsonObjectType kind) =>
        node.Types == JsonObjectType.None || node.Types.HasFlag(kind);

    private static bool StringFits(Node node, string value) =>
        (node.Pattern is null || node.Pattern.IsMatch(value))
        && (node.Enum is null || Array.IndexOf(node.Enum, value) >= 0);

    private static Node? Build(
        JsonSchema actual,
        Dictionary<JsonSchema, Node> nodes,
        Dictionary<string, Regex> patterns
    )
    {
        if (nodes.TryGetValue(actual, out var known))
            return known;
        if (NullOr(actual) is { } other)
        {
            // oneOf [{type: null}, X]: a null matches the first alone, anything else must match X. X must have a type
            // without null: a schema with no type (or one admitting null) takes a null too, and then both match
            if (
                other.IsNullable(SchemaType.JsonSchema)
                || other.Type == JsonObjectType.None
                || other.Type.HasFlag(JsonObjectType.Null)
                || Build(other, nodes, patterns) is not { } inner
            )
                return null;
            return nodes[actual] = new Node { NullOr = inner, Nullable = true };
        }
        if (!WithinSubset(actual))
            return null;
        var node = new Node
        {
            Types = actual.Type,
            Nullable = actual.IsNullable(SchemaType.JsonSchema),
            Pattern =
                string.IsNullOrEmpty(actual.Pattern) ? null
                : patterns.TryGetValue(actual.Pattern, out var regex) ? regex
                : patterns[actual.Pattern] = new Regex(actual.Pattern, RegexOptions.Compiled),
            Enum = actual.Enumeration.Count == 0 ? null : [.. actual.Enumeration.Cast<string>()],
        };
        nodes[actual] = node;
        var properties = new List<Property>(actual.Properties.Count);
        foreach (var (name, property) in actual.Properties)
        {
            if (Build(property.ActualSchema, nodes, patterns) is not { } schema)
                return null;
            var bit = 1UL << properties.Count;
            properties.Add(
                new Property(
                    name,
                    Encoding.UTF8.GetBytes(name),
                    property.IsNullable(SchemaType.JsonSchema),
                    schema,
                    bit
                )
            );
            if (property.IsRequired || actual.RequiredProperties.Contains(name))
                node.RequiredMask |= bit;
        }
        node.Properties = [.. properties];
        // NJsonSchema reports a missing required property for any token that is not an object, unless the type
        // admits null
        node.RequiresObject = node.RequiredMask != 0 && !actual.Type.HasFlag(JsonObjectType.Null);
        if (actual.Item is { } item)
        {
            if (Build(item.ActualSchema, nodes, patterns) is not { } items)
                return null;
            node.Items = items;
        }
        return node;
    }

    /// <summary>
    /// X's actual schema when <paramref name="s"/> is nothing but <c>oneOf: [{"type": "null"}, X]</c> (how a nullable
    /// reference is written), else null.
    /// </summary>
    private static JsonSchema? NullOr(JsonSchema s)
    {
        if (s.OneOf.Count != 2 || !Bare(s))
            return null;
        var (a, b) = (s.OneOf.ElementAt(0), s.OneOf.ElementAt(1));
        return IsNullOnly(a) ? b.ActualSchema
            : IsNullOnly(b) ? a.ActualSchema
            : null;
    }

    private static bool IsNullOnly(JsonSchema s) =>
        !s.HasReference && s.Type == JsonObjectType.Null && s.OneOf.Count == 0 && Bare(s, ignoringType: true);

    /// <summary>No keyword of its own but (unless <paramref name="ignoringType"/>) type and oneOf.</summary>
    private static bool Bare(JsonSchema s, bool ignoringType = false) =>
        (ignoringType || s.Type == JsonObjectType.None)
        && s.Properties.Count == 0
        && s.RequiredProperties.Count == 0
        && s.Item is null
        && string.IsNullOrEmpty(s.Pattern)
        && s.Enumeration.Count == 0
        && string.IsNullOrEmpty(s.Format)
        && s.AllowAdditionalProperties
        && WithinSubset(s, ignoringOneOf: true);

    /// <summary>Whether every keyword of <paramref name="s"/> that NJsonSchema validates is one this pass
    /// reads.</summary>
    private static bool WithinSubset(JsonSchema s, bool ignoringOneOf = false) =>
        (s.Type & ~KnownTypes) == JsonObjectType.None
        && s.AnyOf.Count == 0
        && s.AllOf.Count == 0
        && (ignoringOneOf || s.OneOf.Count == 0)
        && s.Not is null
        && s.PatternProperties.Count == 0
        && s.AdditionalPropertiesSchema is null
        && s.Items.Count == 0
        && s.MinItems == 0
        && s.MaxItems == 0
        && !s.UniqueItems
        && s.MinProperties == 0
        && s.MaxProperties == 0
        && s.Minimum is null
        && s.Maximum is null
        && s.ExclusiveMinimum is null
        && s.ExclusiveMaximum is null
        && s.MultipleOf is null
        && s.MinLength is null
        && s.MaxLength is null
        && (string.IsNullOrEmpty(s.Format) || s.Type != JsonObjectType.None && !s.Type.HasFlag(JsonObjectType.String))
        && s.Enumeration.All(v => v is string)
        && s.RequiredProperties.All(s.Properties.ContainsKey)
        && s.Properties.Count <= 64;

    private sealed class Node
    {
        public JsonObjectType Types;
        public bool Nullable;
        public Regex? Pattern;
        public string[]? Enum;
        public Property[] Properties = [];
        public ulong RequiredMask;
        public bool RequiresObject;
        public Node? Items;

        /// <summary>Set for <c>oneOf: [{"type": "null"}, X]</c>: X's node, and nothing else of this one is
        /// used.</summary>
        public Node? NullOr;

        /// <summary>The property whose name the reader stands on (an escaped name is compared unescaped).</summary>
        public Property? Find(ref Utf8JsonReader reader)
        {
            foreach (var p in Properties)
                if (reader.ValueTextEquals(p.Utf8))
                    return p;
            return null;
        }

        public Property? Find(string name)
        {
            foreach (var p in Properties)
                if (string.Equals(p.Name, name, StringComparison.Ordinal))
                    return p;
            return null;
        }
    }

    private sealed record Property(string Name, byte[] Utf8, bool Nullable, Node Schema, ulong Bit);
}
