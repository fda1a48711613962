using CrossMargin.Ledger.EventStore.Json;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.Generation.TypeMappers;
using NJsonSchema.NewtonsoftJson.Generation;

namespace CrossMargin.Ledger.EventStore.Schemas;

/// <summary>
/// Generates the JSON Schemas under <c>schemas/</c> from the C# types (NJsonSchema, draft-04). Every
/// property is required (a stored event always carries every field; nullable ones may be null), no
/// unknown property is allowed, and a decimal is a string of the exact decimal grammar — or, in a
/// command, also a JSON number, since people type numbers.
/// </summary>
public static partial class SchemaGeneration
{
    /// <summary>The decimal text grammar: optional minus, digits, optional fraction, optional exponent.</summary>
    public const string DecimalPattern = @"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$";

    /// <summary>
    /// The schema of <paramref name="type"/>, titled <paramref name="title"/>. Events require every
    /// property; commands (<paramref name="decimalsMayBeNumbers"/>) require those marked
    /// <c>[JsonProperty(Required = Required.Always)]</c>.
    /// </summary>
    public static JsonSchema For(Type type, string title, bool decimalsMayBeNumbers)
    {
        var settings = new NewtonsoftJsonSchemaGeneratorSettings
        {
            SerializerSettings = LedgerJson.Settings,
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
            AlwaysAllowAdditionalObjectProperties = false,
            FlattenInheritanceHierarchy = true,
            GenerateExamples = false,
        };
        var decimalType = decimalsMayBeNumbers ? JsonObjectType.String | JsonObjectType.Number : JsonObjectType.String;
        settings.TypeMappers.Add(
            new PrimitiveTypeMapper(
                typeof(decimal),
                s =>
                {
                    s.Type = decimalType;
                    s.Pattern = DecimalPattern;
                }
            )
        );
        settings.TypeMappers.Add(
            new PrimitiveTypeMapper(
                typeof(decimal?),
                s =>
                {
                    s.Type = decimalType | JsonObjectType.Null;
                    s.Pattern = DecimalPattern;
                }
            )
        );
        // an account id, a symbol and an asset code are types in the code and plain strings on the wire
        foreach (var id in new[] { typeof(AccountId), typeof(Symbol), typeof(Asset) })
            settings.TypeMappers.Add(new PrimitiveTypeMapper(id, s => s.Type = JsonObjectType.String));
        if (!decimalsMayBeNumbers)
        {
            // an event's words (side, fill effect, step rule, …) are enums in the code and plain strings on the
            // wire, as they were published before they became enums
            foreach (var word in typeof(Events.ILedgerEvent).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic))
                settings.TypeMappers.Add(new PrimitiveTypeMapper(word, s => s.Type = JsonObjectType.String));
        }
        settings.SchemaProcessors.Add(new ClosedObjects(requireAll: !decimalsMayBeNumbers));
        settings.SchemaProcessors.Add(new WrappedDescriptions());
        var schema = JsonSchema.FromType(type, settings);
        schema.Title = title;
        return schema;
    }

    /// <summary>
    /// A doc comment wrapped at 120 columns continues on an indented line; the description reads as one line
    /// there (a break followed by indentation becomes a space), so wrapping the source never changes a schema.
    /// </summary>
    private sealed partial class WrappedDescriptions : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            context.Schema.Description = Unwrap(context.Schema.Description);
            foreach (var property in context.Schema.Properties.Values)
                property.Description = Unwrap(property.Description);
        }

        private static string? Unwrap(string? description) =>
            description is null ? null : ContinuedLine().Replace(description, " ");

        [System.Text.RegularExpressions.GeneratedRegex(@"\n[ \t]+")]
        private static partial System.Text.RegularExpressions.Regex ContinuedLine();
    }

    private sealed class ClosedObjects(bool requireAll) : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            if (!context.Schema.Type.HasFlag(JsonObjectType.Object))
                return;
            if (requireAll)
                foreach (var property in context.Schema.Properties.Values)
                    property.IsRequired = true;
            context.Schema.AllowAdditionalProperties = false;
        }
    }
}
