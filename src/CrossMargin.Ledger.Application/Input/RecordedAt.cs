using System.Globalization;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Application.Input;

/// <summary>
/// When a command happened, in UTC to 100 ns. The log holds one text form, <see cref="Pattern"/>; input may also
/// leave out the fraction or give 1 to 7 digits of it, and end in <c>+00:00</c> instead of <c>Z</c>. Anything
/// else (a space for the T, another offset, a local time, more digits than are recorded) is refused, never
/// guessed.
/// </summary>
public readonly partial record struct RecordedAt
{
    /// <summary>The form every recorded time is written in.</summary>
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly string[] InputPatterns =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        .. Enumerable.Range(1, 7).Select(n => $"yyyy-MM-dd'T'HH:mm:ss.{new string('F', n)}'Z'"),
    ];

    private RecordedAt(DateTime utc) => Utc = utc;

    /// <summary>The instant, as a UTC <see cref="DateTime"/>.</summary>
    public DateTime Utc { get; }

    /// <summary>The recorded time of an instant (any offset; it is converted to UTC).</summary>
    public static RecordedAt Of(DateTimeOffset instant) => new(instant.UtcDateTime);

    /// <summary>Reads a time as input may give it.</summary>
    public static Checked<RecordedAt> Parse(string text)
    {
        if (Form().IsMatch(text))
        {
            var utc = text.EndsWith("+00:00", StringComparison.Ordinal) ? text[..^6] + "Z" : text;
            if (
                DateTimeOffset.TryParseExact(
                    utc,
                    InputPatterns,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out var t
                )
            )
                return Checked.Valid(Of(t));
        }
        return Checked.Invalid<RecordedAt>(
            $"'{text}' is not a UTC timestamp of the form 2026-01-01T00:00:00Z (at most 7 fractional digits; Z or "
                + "+00:00)"
        );
    }

    /// <summary>The recorded form, <see cref="Pattern"/>.</summary>
    public override string ToString() => Utc.ToString(Pattern, CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(
        @"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|\+00:00)\z",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant
    )]
    private static partial System.Text.RegularExpressions.Regex Form();
}
