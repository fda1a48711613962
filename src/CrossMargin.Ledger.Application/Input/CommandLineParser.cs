using System.Text;
using System.Text.Json;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Application.Input;

/// <summary>Who sent a command and when; every field optional on input.</summary>
/// <param name="At">when the command happened, ISO-8601 UTC, normalised to <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</param>
public sealed record CommandContext(
    string? CommandId = null,
    string? At = null,
    string? Actor = null,
    string? CorrelationId = null,
    string? CausationId = null
);

/// <summary>A line parsed into a command, or the reason it could not be.</summary>
public sealed record ParsedLine(LedgerCommand? Command, CommandContext Context, string? Error);

/// <summary>
/// Parses one JSON Lines input line in three checks, each with a message naming the field: JSON syntax
/// and exact decimals (a number a decimal cannot hold exactly is refused, not rounded); the command's
/// JSON Schema (required fields, types, no unknown fields); then the values (timestamps are UTC).
/// </summary>
public static partial class CommandLineParser
{
    /// <summary>Parses <paramref name="line"/>.</summary>
    public static ParsedLine Parse(string line)
    {
        var empty = new CommandContext();
        if (line.Length > MaxLineLength)
            return new ParsedLine(
                null,
                empty,
                $"the line has {line.Length} characters, more than the {MaxLineLength} allowed"
            );
        if (CheckSyntaxAndNumbers(line) is { } syntaxError)
            return new ParsedLine(null, empty, syntaxError);
        JObject json;
        using (
            var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(line))
            {
                DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
                FloatParseHandling = Newtonsoft.Json.FloatParseHandling.Decimal,
            }
        )
        {
            try
            {
                json = JObject.Load(
                    reader,
                    new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error }
                );
            }
            catch (Newtonsoft.Json.JsonReaderException e)
            {
                return new ParsedLine(null, empty, e.Message);
            }
        }
        if (Oversized(json) is { } sizeError)
            return new ParsedLine(null, empty, sizeError);
        if (json["type"] is not JValue { Type: JTokenType.String } typeToken)
            return new ParsedLine(null, empty, "missing string field 'type'");
        var type = (string)typeToken.Value!;
        if (!CommandTypes.ByName.TryGetValue(type, out var lineType))
            return new ParsedLine(
                null,
                empty,
                $"unknown type '{type}'; expected one of "
                    + $"{string.Join(", ", CommandTypes.ByName.Keys.Order(StringComparer.Ordinal))}"
            );
        var violations =
            CommandTypes.Check(type)?.CertainlyValid(json) == true ? [] : CommandTypes.Schema(type).Validate(json);
        if (violations.Count > 0)
            return new ParsedLine(
                null,
                empty,
                string.Join(
                    "; ",
                    violations.Select(v =>
                        $"{(string.IsNullOrEmpty(v.Path) ? "#" : v.Path.TrimStart('#', '/'))}: {Describe(v.Kind)}"
                    )
                )
            );
        CommandLine dto;
        try
        {
            dto = (CommandLine)json.ToObject(lineType, LedgerJson.Serializer)!;
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            return new ParsedLine(null, empty, e.Message);
        }
        var at = dto.At is null ? (Checked<RecordedAt>?)null : RecordedAt.Parse(dto.At);
        if (at?.Problem is { } atProblem)
            return new ParsedLine(null, empty, "at: " + atProblem);
        var context = new CommandContext(
            dto.CommandId,
            at?.Value.ToString(),
            dto.Actor,
            dto.CorrelationId,
            dto.CausationId
        );
        return new ParsedLine(dto.ToCommand(), context, null);
    }

    /// <summary>The longest line, in characters.</summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>The most items of any list in a line (tiers, collateral bands).</summary>
    public const int MaxListItems = 64;

    /// <summary>The longest string value in a line (an account, a symbol, an id…), in characters.</summary>
    public const int MaxStringLength = CommandIds.MaxLength;

    /// <summary>
    /// The first value of the line that is too large or not text a ledger can hold: a list of more than
    /// <see cref="MaxListItems"/> items, or a string that is not 1 to <see cref="MaxStringLength"/> characters
    /// of well-formed Unicode without control characters; named by its path. Null when every value fits.
    /// </summary>
    private static string? Oversized(JToken token)
    {
        switch (token)
        {
            case JArray array when array.Count > MaxListItems:
                return $"{Path(array)}: has {array.Count} items, more than the {MaxListItems} allowed";
            case JValue { Type: JTokenType.String } value when CommandIds.Problem((string)value.Value!) is { } problem:
                return $"{Path(value)} {problem}";
            case JContainer container:
                foreach (var child in container.Children())
                    if (Oversized(child is JProperty property ? property.Value : child) is { } error)
                        return error;
                return null;
            default:
                return null;
        }
    }

    private static string Path(JToken token) => token.Path.Length == 0 ? "#" : token.Path;

    private static string? CheckSyntaxAndNumbers(string line)
    {
        var reader = new Utf8JsonReader(
            Encoding.UTF8.GetBytes(line),
            new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow }
        );
        try
        {
            var depth0Object = false;
            var field = "";
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
                {
                    // a lone surrogate escape (\ud800) is not text: the JSON reader would make U+FFFD of it, and two
                    // different ids one
                    string text;
                    try
                    {
                        text = reader.GetString()!;
                    }
                    catch (InvalidOperationException)
                    {
                        return reader.TokenType == JsonTokenType.PropertyName
                            ? $"a field name after '{field}' is not well-formed Unicode (a lone surrogate escape)"
                            : $"{field} is not well-formed Unicode (a lone surrogate escape)";
                    }
                    if (reader.TokenType == JsonTokenType.PropertyName)
                        field = text;
                }
                if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.StartObject)
                    depth0Object = true;
                if (
                    reader.CurrentDepth == 0
                    && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject)
                )
                    return "a line must be one JSON object";
                if (reader.TokenType == JsonTokenType.Number)
                {
                    var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                    if (ExactDecimal.Parse(raw).Problem is { } error)
                        return $"{field}: {error}";
                }
            }
            return depth0Object ? null : "a line must be one JSON object";
        }
        catch (JsonException e)
        {
            return $"invalid JSON at byte {e.BytePositionInLine}: {e.Message.Split(" LineNumber", 2)[0]}";
        }
    }

    private static string Describe(NJsonSchema.Validation.ValidationErrorKind kind) =>
        kind switch
        {
            NJsonSchema.Validation.ValidationErrorKind.PropertyRequired => "required field is missing",
            NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed => "unknown field",
            NJsonSchema.Validation.ValidationErrorKind.PatternMismatch => "not a decimal number",
            // only decimals are multi-typed (string or number) in command schemas
            NJsonSchema.Validation.ValidationErrorKind.NoTypeValidates =>
                "not a decimal number (a number, or a string like \"12.5\")",
            NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration => "not one of the allowed values",
            _ => "expected " + kind.ToString().Replace("Expected", "", StringComparison.Ordinal).ToLowerInvariant(),
        };
}
