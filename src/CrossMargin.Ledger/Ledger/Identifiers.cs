using System.Buffers;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// What account ids, symbols and asset codes may look like (<see cref="AccountId"/>, <see cref="Symbol"/>,
/// <see cref="Asset"/>). They become stream names and file-safe report keys, so they are plain ASCII: accounts
/// <c>[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}</c>, symbols and assets <c>[A-Z0-9]{2,20}</c>.
/// </summary>
internal static class Identifiers
{
    private static readonly SearchValues<char> AccountChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-"
    );

    private static readonly SearchValues<char> SymbolChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    );

    /// <summary>Whether <paramref name="text"/> is an account id: 1 to 64 characters, the first an ASCII letter or
    /// digit, the others ASCII letters, digits or <c>_ . : -</c> (every stored event's ids are read through here: a
    /// span search, not a regular expression).</summary>
    public static bool IsAccount(string? text) =>
        text is { Length: >= 1 and <= 64 }
        && char.IsAsciiLetterOrDigit(text[0])
        && !text.AsSpan(1).ContainsAnyExcept(AccountChars);

    /// <summary>Whether <paramref name="text"/> is a symbol or asset code: 2 to 20 of A-Z and 0-9.</summary>
    public static bool IsSymbol(string? text) =>
        text is { Length: >= 2 and <= 20 } && !text.AsSpan().ContainsAnyExcept(SymbolChars);

    /// <summary>
    /// Whether <paramref name="text"/> is an id as a log may hold it: a valid one, or one followed by a single final
    /// newline, which releases up to 0.1.0 accepted (their check ended with <c>$</c>). A log keeps what it recorded;
    /// only new commands are held to the whole-text rule.
    /// </summary>
    public static bool IsStored(string? text, Func<string?, bool> rule) =>
        rule(text) || (text is [.., '\n'] && rule(text[..^1]));

    public static string SymbolProblem(string? text, string field) =>
        $"{field} '{text}' must be 2 to 20 of A-Z and 0-9";

    /// <summary>The value of a literal, or an <see cref="ArgumentException"/> with the parse's sentence.</summary>
    public static T Require<T>(Checked<T> parsed, string parameter) =>
        parsed.IsValid ? parsed.Value : throw new ArgumentException(parsed.Problem, parameter);
}
