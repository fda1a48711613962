using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Parses decimal text exactly or not at all: a value a <see cref="decimal"/> cannot hold to the last
/// digit (more than 28 significant digits, more than 28 places) is an error, never silently rounded.
/// Accepts the JSON number grammar (<c>-12.50</c>, <c>1e3</c>, <c>2.5E-4</c>).
/// </summary>
public static partial class ExactDecimal
{
    private const int MaxDigits = 28;

    /// <summary>The value, or null with the reason in <paramref name="error"/>.</summary>
    public static decimal? Parse(string text, out string? error)
    {
        error = null;
        var m = Grammar().Match(text);
        if (!m.Success)
        {
            error = $"'{text}' is not a decimal number";
            return null;
        }
        var digits = (m.Groups["int"].Value + m.Groups["frac"].Value).TrimStart('0');
        var scale = m.Groups["frac"].Length - (m.Groups["exp"].Success ? int.Parse(m.Groups["exp"].Value, CultureInfo.InvariantCulture) : 0);
        if (digits.Length == 0) return 0m;
        while (scale > 0 && digits.EndsWith('0'))
        {
            digits = digits[..^1];
            scale--;
        }
        if (scale < 0)
        {
            if (digits.Length - scale > MaxDigits) return TooPrecise(text, out error);
            digits += new string('0', -scale);
            scale = 0;
        }
        if (digits.Length > MaxDigits || scale > MaxDigits) return TooPrecise(text, out error);
        var plain = scale == 0 ? digits
            : digits.Length > scale ? digits[..^scale] + "." + digits[^scale..]
            : "0." + new string('0', scale - digits.Length) + digits;
        var value = decimal.Parse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return text.StartsWith('-') ? -value : value;
    }

    private static decimal? TooPrecise(string text, out string? error)
    {
        error = $"'{text}' has more precision than a decimal holds exactly ({MaxDigits} significant digits)";
        return null;
    }

    [GeneratedRegex(@"^-?(?<int>[0-9]+)(\.(?<frac>[0-9]+))?([eE](?<exp>[+-]?[0-9]{1,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
