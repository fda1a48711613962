using System.Text;

namespace CrossMargin.Ledger.Application.Input;

/// <summary>
/// The grammar of a command id (and of the other envelope strings: correlation and causation ids, actor):
/// 1 to <see cref="MaxLength"/> characters of well-formed Unicode without control characters. A command id is
/// an idempotency key: an empty one would be one key for every sender, and a lone surrogate is stored as
/// U+FFFD, so two different ids would become one (the second command answered with the first's result).
/// </summary>
public static class CommandIds
{
    /// <summary>The longest id, in UTF-16 code units (a UUID is 36).</summary>
    public const int MaxLength = 128;

    /// <summary>What is wrong with <paramref name="id"/> (phrased to follow the field's name), or null when it is
    /// well-formed.</summary>
    public static string? Problem(string id)
    {
        if (id.Length == 0)
            return "must not be empty";
        if (id.Length > MaxLength)
            return $"has {id.Length} characters, more than the {MaxLength} allowed";
        var index = 0;
        foreach (var status in Runes(id))
        {
            if (status is null)
                return $"is not well-formed Unicode (a lone surrogate at character {index + 1})";
            if (Rune.IsControl(status.Value))
                return $"contains a control character (U+{status.Value.Value:X4}) at character {index + 1}";
            index += status.Value.Utf16SequenceLength;
        }
        return null;
    }

    private static IEnumerable<Rune?> Runes(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                yield return null;
                yield break;
            }
            yield return rune;
            i += used;
        }
    }
}
