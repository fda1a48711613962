using System.Text;
using System.Text.Json;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// How the one-pass readers (<see cref="CompiledReader"/>, <see cref="Schemas.CompiledSchema"/>) take text: UTF-16 that
/// is not valid Unicode throws instead of turning into replacement characters, and JSON as standard as Json.NET reads
/// it without doubt (no comments, no trailing commas, at most <see cref="MaxDepth"/> levels); whatever fails here is
/// left to Json.NET or NJsonSchema.
/// </summary>
internal static class StrictJson
{
    /// <summary>Deeper text is left to the slow path (the ledger's documents nest three levels).</summary>
    public const int MaxDepth = 32;

    /// <summary>UTF-8 without a byte-order mark that throws on invalid UTF-16.</summary>
    public static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Standard JSON only.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = MaxDepth,
    };
}
