using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Parses decimal text exactly or not at all. A <see cref="decimal"/> is a 96-bit integer mantissa
/// (at most 79 228 162 514 264 337 593 543 950 335) over a power of ten from 10⁰ to 10²⁸; text is accepted
/// exactly when it names such a value, whatever its trailing zeros, so every value the ledger can write
/// reads back (29-digit values included). Anything else is an error, never silently rounded.
/// Accepts exactly the JSON number grammar (<c>-12.50</c>, <c>1e3</c>, <c>2.5E-4</c>; no leading zeros, no
/// <c>+</c>, no spaces or line breaks around it).
/// </summary>
public static partial class ExactDecimal
{
    private const int MaxScale = 28;

    /// <summary>Digits of the largest mantissa (7.9 × 10²⁸); text with more cannot fit it.</summary>
    private const int MaxMantissaDigits = 29;

    /// <summary>The largest mantissa, 2⁹⁶ − 1, for the plain reader's 128-bit integer and the long way's big
    /// one.</summary>
    private static readonly UInt128 MaxMantissa96 = (UInt128.One << 96) - 1;
    private static readonly BigInteger MaxMantissa = MaxMantissa96;

    /// <summary>The value, or why the text is none.</summary>
    public static Checked<decimal> Parse(string text)
    {
        if (TryParsePlain(text.AsSpan(), out var plain))
            return Checked.Valid(plain);
        var m = Grammar().Match(text);
        if (!m.Success)
            return Checked.Invalid<decimal>($"'{text}' is not a decimal number");
        var digits = (m.Groups["int"].Value + m.Groups["frac"].Value).TrimStart('0');
        var scale =
            m.Groups["frac"].Length
            - (m.Groups["exp"].Success ? int.Parse(m.Groups["exp"].Value, CultureInfo.InvariantCulture) : 0);
        if (digits.Length == 0)
            return Checked.Valid(0m);
        while (scale > 0 && digits.EndsWith('0'))
        {
            digits = digits[..^1];
            scale--;
        }
        if (scale < 0)
        {
            if (digits.Length - scale > MaxMantissaDigits)
                return TooPrecise(text);
            digits += new string('0', -scale);
            scale = 0;
        }
        if (digits.Length > MaxMantissaDigits || scale > MaxScale)
            return TooPrecise(text);
        var mantissa = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (mantissa > MaxMantissa)
            return TooPrecise(text);
        var bytes = new byte[12];
        mantissa.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        var value = new decimal(
            BitConverter.ToInt32(bytes, 0),
            BitConverter.ToInt32(bytes, 4),
            BitConverter.ToInt32(bytes, 8),
            isNegative: text.StartsWith('-'),
            scale: (byte)scale
        );
        return Checked.Valid(value);
    }

    /// <summary>
    /// The value of plain text — the grammar without an exponent, at most 38 digits, as the ledger writes
    /// every amount (a quotient's 28 places included) — read without a regular expression or a big integer;
    /// false for any other text and for plain text a decimal cannot hold exactly, which <see cref="Parse"/>
    /// reads (or refuses) the long way. Where it answers it answers what <see cref="Parse"/> does, scale
    /// included (a property test holds the two together).
    /// </summary>
    public static bool TryParsePlain<TChar>(ReadOnlySpan<TChar> text, out decimal value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0m;
        var i = 0;
        var negative = text.Length > 0 && int.CreateTruncating(text[0]) == '-';
        if (negative)
            i++;
        var start = i;
        // the first 19 digits fit a ulong (10¹⁹ − 1 < 2⁶⁴), 38 always fit 128 bits (10³⁸ − 1 < 2¹²⁸): neither
        // multiplication can overflow, so both are unchecked, and the wide one is only paid past 19 digits
        ulong narrow = 0;
        UInt128 wide = 0;
        var digits = 0;
        var scale = 0;
        var point = -1;
        for (; i < text.Length; i++)
        {
            var c = int.CreateTruncating(text[i]);
            if (c == '.' && point < 0 && i > start)
            {
                point = i;
                continue;
            }
            if (c is < '0' or > '9' || ++digits > 38)
                return false;
            if (digits <= 19)
                narrow = unchecked(narrow * 10 + (uint)(c - '0'));
            else
                wide = unchecked((digits == 20 ? narrow : wide) * 10u + (uint)(c - '0'));
            if (point >= 0)
                scale++;
        }
        var integerDigits = (point < 0 ? i : point) - start;
        // "0" or no leading zero, and at least one digit after a point
        if (integerDigits == 0 || (integerDigits > 1 && int.CreateTruncating(text[start]) == '0') || point == i - 1)
            return false;
        if (digits <= 19)
        {
            if (narrow == 0)
                return true;
            while (scale > 0 && narrow % 10 == 0)
            {
                narrow /= 10;
                scale--;
            }
            value = new decimal(unchecked((int)narrow), unchecked((int)(narrow >> 32)), 0, negative, (byte)scale);
            return true;
        }
        if (wide == 0)
            return true;
        while (scale > 0 && wide % 10u == 0)
        {
            wide /= 10u;
            scale--;
        }
        // what Parse refuses as too precise: more than 28 places, or a mantissa past 96 bits
        if (scale > MaxScale || wide > MaxMantissa96)
            return false;
        value = new decimal(
            unchecked((int)(uint)wide),
            unchecked((int)(uint)(wide >> 32)),
            unchecked((int)(uint)(wide >> 64)),
            negative,
            (byte)scale
        );
        return true;
    }

    private static Checked<decimal> TooPrecise(string text) =>
        Checked.Invalid<decimal>(
            $"'{text}' has more precision than a decimal holds exactly (a 96-bit mantissa, at most {MaxScale} places)"
        );

    [GeneratedRegex(
        @"\A-?(?<int>0|[1-9][0-9]*)(\.(?<frac>[0-9]+))?([eE](?<exp>[+-]?[0-9]{1,3}))?\z",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex Grammar();
}
