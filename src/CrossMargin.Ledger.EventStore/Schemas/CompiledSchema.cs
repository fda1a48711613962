using System.Collections.Concurrent;
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
/// compile (<see cref="Compile(string)"/> returns null) and is always checked by NJsonSchema.
/// </para>
/// </summary>
public sealed partial class CompiledSchema
{
    private readonly Node root;

    private CompiledSchema(Node root) => this.root = root;

    /// <summary>The compiled form of <paramref name="schema"/> (of the text NJsonSchema writes for it), or null when
    /// it uses a keyword outside the subset.</summary>
    public static CompiledSchema? Compile(JsonSchema schema) => Compile(schema.ToJson());

    /// <summary>
    /// The compiled form of a draft-04 schema document as NJsonSchema reads it (a published file under
    /// <c>schemas/</c>), or null when it uses a keyword or a form outside the subset, or is not a schema document. Read
    /// with System.Text.Json, so a process that checks its first event generates no schema with NJsonSchema.
    /// </summary>
    public static CompiledSchema? Compile(string schemaText)
    {
        try
        {
            using var parsed = JsonDocument.Parse(schemaText);
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            var definitions = root.TryGetProperty("definitions", out var all) ? all : (JsonElement?)null;
            if (definitions is { ValueKind: JsonValueKind.Object } named && HasDuplicateKeys(named))
                return null;
            var document = new Document(definitions);
            return Build(root, document, definition: null, depth: 0) is { } node ? new CompiledSchema(node) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // not JSON (JsonException), text that is not valid UTF-16 (ArgumentException), or an escaped lone
            // surrogate in a name or a string (InvalidOperationException): NJsonSchema decides
            return null;
        }
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

    /// <summary>
    /// The node of <paramref name="s"/>, a schema object of the document (a <c>$ref</c> already followed), or null
    /// when it uses a keyword or a form outside the subset.
    /// </summary>
    private static Node? Build(JsonElement s, Document document, string? definition, int depth)
    {
        if (depth > StrictJson.MaxDepth)
            return null;
        if (NullOr(s) is { } member)
        {
            // oneOf [{type: null}, X]: a null matches the first alone, anything else must match X. X must have a type
            // without null: a schema with no type (or one admitting null) takes a null too, and then both match
            if (
                document.Resolve(member) is not var (other, _)
                || !Types(other, out var otherTypes)
                || otherTypes == JsonObjectType.None
                || otherTypes.HasFlag(JsonObjectType.Null)
                || document.Node(member, depth) is not { } inner
            )
                return null;
            return new Node { NullOr = inner, Nullable = true };
        }
        if (!WithinSubset(s, root: depth == 0, out var types))
            return null;
        Regex? regex = null;
        if (s.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { Length: > 0 } text)
            if (Patterns.Of(text) is { } shared)
                regex = shared;
            else
                return null;
        var node = new Node
        {
            Types = types,
            Nullable = types.HasFlag(JsonObjectType.Null),
            Pattern = regex,
            Enum =
                s.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0
                    ? [.. values.EnumerateArray().Select(v => v.GetString()!)]
                    : null,
        };
        if (definition is not null)
            document.Register(definition, node);
        var required = s.TryGetProperty("required", out var names)
            ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var properties = new List<Property>();
        if (s.TryGetProperty("properties", out var declared))
            foreach (var property in declared.EnumerateObject())
            {
                if (
                    document.Node(property.Value, depth) is not { } schema
                    || Nullable(property.Value, document) is not { } nullable
                )
                    return null;
                var bit = 1UL << properties.Count;
                properties.Add(
                    new Property(property.Name, Encoding.UTF8.GetBytes(property.Name), nullable, schema, bit)
                );
                if (required.Contains(property.Name))
                    node.RequiredMask |= bit;
            }
        node.Properties = [.. properties];
        // NJsonSchema reports a missing required property for any token that is not an object, unless the type
        // admits null
        node.RequiresObject = node.RequiredMask != 0 && !types.HasFlag(JsonObjectType.Null);
        if (s.TryGetProperty("items", out var item))
        {
            if (document.Node(item, depth) is not { } items)
                return null;
            node.Items = items;
        }
        return node;
    }

    /// <summary>
    /// X when <paramref name="s"/> is nothing but <c>oneOf: [{"type": "null"}, X]</c> (how a nullable reference is
    /// written; a description or a title may stand beside it), else null.
    /// </summary>
    private static JsonElement? NullOr(JsonElement s)
    {
        if (
            !s.TryGetProperty("oneOf", out var oneOf)
            || oneOf.ValueKind != JsonValueKind.Array
            || oneOf.GetArrayLength() != 2
            || !OnlyKeys(s, "oneOf", "description", "title")
        )
            return null;
        var (a, b) = (oneOf[0], oneOf[1]);
        return IsNullOnly(a) ? b
            : IsNullOnly(b) ? a
            : null;
    }

    /// <summary><c>{"type": "null"}</c>, with at most a description or a title beside it.</summary>
    private static bool IsNullOnly(JsonElement s) =>
        s.ValueKind == JsonValueKind.Object
        && OnlyKeys(s, "type", "description", "title")
        && Types(s, out var types)
        && types == JsonObjectType.Null;

    /// <summary>
    /// Whether NJsonSchema takes <paramref name="s"/> to admit null (<c>IsNullable</c> for a JSON Schema, over the
    /// forms the subset reads): its type includes null, it is a <c>oneOf</c> with no type of its own one of whose
    /// members does, or it refers to a schema that does. Null for a form outside the subset.
    /// </summary>
    private static bool? Nullable(JsonElement s, Document document, int depth = 0)
    {
        if (s.ValueKind != JsonValueKind.Object || depth > StrictJson.MaxDepth || !Types(s, out var types))
            return null;
        if (types.HasFlag(JsonObjectType.Null))
            return true;
        if (s.TryGetProperty("$ref", out _))
            return document.Resolve(s) is { } target ? Nullable(target.Schema, document, depth + 1) : null;
        if (types == JsonObjectType.None && s.TryGetProperty("oneOf", out var oneOf))
        {
            if (oneOf.ValueKind != JsonValueKind.Array)
                return null;
            var any = false;
            foreach (var member in oneOf.EnumerateArray())
                switch (Nullable(member, document, depth + 1))
                {
                    case null:
                        return null;
                    case true:
                        any = true;
                        break;
                }
            return any;
        }
        return false;
    }

    /// <summary>
    /// Whether every keyword of <paramref name="s"/> is one this pass reads, in a form it reads: <c>type</c> (a name
    /// or a list of names), <c>properties</c> (at most 64, each required one among them), <c>required</c>,
    /// <c>additionalProperties</c> as true or false, one schema for <c>items</c>, <c>pattern</c>, an <c>enum</c> of
    /// strings, a <c>format</c> beside a type that is not a string (NJsonSchema checks formats of strings only), and
    /// the words that validate nothing (<c>title</c>, <c>description</c>, <c>x-enumNames</c>, and at the root
    /// <c>$schema</c> and <c>definitions</c>). Any other keyword, even one NJsonSchema would ignore, leaves the schema
    /// to NJsonSchema.
    /// </summary>
    private static bool WithinSubset(JsonElement s, bool root, out JsonObjectType types)
    {
        types = JsonObjectType.None;
        if (s.ValueKind != JsonValueKind.Object || !Types(s, out types) || HasDuplicateKeys(s))
            return false;
        var properties = 0;
        foreach (var keyword in s.EnumerateObject())
        {
            var value = keyword.Value;
            var fits = keyword.Name switch
            {
                "type" or "title" or "description" => true,
                "$schema" => root,
                "definitions" => root && value.ValueKind == JsonValueKind.Object,
                "x-enumNames" => value.ValueKind == JsonValueKind.Array,
                "additionalProperties" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "properties" => value.ValueKind == JsonValueKind.Object
                    && !HasDuplicateKeys(value)
                    && (properties = value.EnumerateObject().Count()) <= 64,
                "required" => value.ValueKind == JsonValueKind.Array
                    && value.EnumerateArray().All(n => n.ValueKind == JsonValueKind.String),
                "items" => value.ValueKind == JsonValueKind.Object,
                "pattern" => value.ValueKind == JsonValueKind.String,
                "enum" => value.ValueKind == JsonValueKind.Array
                    && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
                "format" => value.ValueKind == JsonValueKind.String
                    && (
                        value.GetString()!.Length == 0
                        || types != JsonObjectType.None && !types.HasFlag(JsonObjectType.String)
                    ),
                _ => false,
            };
            if (!fits)
                return false;
        }
        // every required property is declared
        if (s.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray())
                if (properties == 0 || !s.GetProperty("properties").TryGetProperty(name.GetString()!, out _))
                    return false;
        return true;
    }

    /// <summary>The types <c>type</c> names (None when absent), or false for a name outside the seven.</summary>
    private static bool Types(JsonElement s, out JsonObjectType types)
    {
        types = JsonObjectType.None;
        if (!s.TryGetProperty("type", out var type))
            return true;
        if (type.ValueKind == JsonValueKind.String)
            return TypeNamed(type.GetString(), ref types);
        if (type.ValueKind != JsonValueKind.Array)
            return false;
        foreach (var name in type.EnumerateArray())
            if (name.ValueKind != JsonValueKind.String || !TypeNamed(name.GetString(), ref types))
                return false;
        return true;

        static bool TypeNamed(string? name, ref JsonObjectType types)
        {
            JsonObjectType? one = name switch
            {
                "array" => JsonObjectType.Array,
                "boolean" => JsonObjectType.Boolean,
                "integer" => JsonObjectType.Integer,
                "null" => JsonObjectType.Null,
                "number" => JsonObjectType.Number,
                "object" => JsonObjectType.Object,
                "string" => JsonObjectType.String,
                _ => null,
            };
            types |= one ?? JsonObjectType.None;
            return one is not null;
        }
    }

    private static bool OnlyKeys(JsonElement s, params ReadOnlySpan<string> allowed)
    {
        foreach (var keyword in s.EnumerateObject())
            if (!allowed.Contains(keyword.Name))
                return false;
        return !HasDuplicateKeys(s);
    }

    private static bool HasDuplicateKeys(JsonElement s)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in s.EnumerateObject())
            if (!seen.Add(keyword.Name))
                return true;
        return false;
    }

    /// <summary>
    /// One schema document being compiled: its root's definitions and the nodes built for them (so a type referred
    /// to several times, or by itself, is one node).
    /// </summary>
    private sealed class Document(JsonElement? definitions)
    {
        private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);

        /// <summary>The schema <paramref name="s"/> stands for, and the definition's name when it is
        /// <c>{"$ref": "#/definitions/Name"}</c> (nothing beside it); null for any other reference or a
        /// non-object.</summary>
        public (JsonElement Schema, string? Definition)? Resolve(JsonElement s)
        {
            if (s.ValueKind != JsonValueKind.Object)
                return null;
            if (!s.TryGetProperty("$ref", out var reference))
                return (s, null);
            const string prefix = "#/definitions/";
            if (
                !OnlyKeys(s, "$ref")
                || reference.ValueKind != JsonValueKind.String
                || reference.GetString() is not { } text
                || !text.StartsWith(prefix, StringComparison.Ordinal)
                // NJsonSchema unescapes a segment (~0, ~1, %xx): a name with any of them is left to it
                || text.AsSpan(prefix.Length).ContainsAny('/', '~', '%')
                || definitions is not { ValueKind: JsonValueKind.Object } all
                || !all.TryGetProperty(text[prefix.Length..], out var definition)
                || definition.ValueKind != JsonValueKind.Object
                || definition.TryGetProperty("$ref", out _)
            )
                return null;
            return (definition, text[prefix.Length..]);
        }

        /// <summary>The node of what <paramref name="s"/> stands for; a definition is built once.</summary>
        public Node? Node(JsonElement s, int depth) =>
            Resolve(s) is not var (schema, name) ? null
            : name is not null && nodes.TryGetValue(name, out var known) ? known
            : Build(schema, this, name, depth + 1);

        /// <summary>Records the node of a definition before its properties are built, so they may refer to
        /// it.</summary>
        public void Register(string definition, Node node) => nodes[definition] = node;
    }

    /// <summary>
    /// The regex of each pattern, one for the process: the decimal grammar every ledger schema uses is compiled with
    /// the project, any other pattern (a schema a caller compiles) the first time it is met. A pattern .NET cannot read
    /// has none (the schema is then left to NJsonSchema).
    /// </summary>
    private static partial class Patterns
    {
        private static readonly ConcurrentDictionary<string, Regex?> Others = new(StringComparer.Ordinal);

        public static Regex? Of(string pattern) =>
            pattern == SchemaGeneration.DecimalPattern ? Decimal() : Others.GetOrAdd(pattern, Read);

        private static Regex? Read(string pattern)
        {
            try
            {
                return new Regex(pattern, RegexOptions.Compiled);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        [GeneratedRegex(SchemaGeneration.DecimalPattern)]
        private static partial Regex Decimal();
    }

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
