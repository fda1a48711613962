using System.Text.RegularExpressions;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// What account ids, symbols and asset codes may look like (<see cref="AccountId"/>, <see cref="Symbol"/>,
/// <see cref="Asset"/>). They become stream names and file-safe report keys, so they are plain ASCII: accounts
/// <c>[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}</c>, symbols and assets <c>[A-Z0-9]{2,20}</c>.
/// </summary>
internal static partial class Identifiers
{
    public static bool IsAccount(string? text) => text is not null && AccountPattern().IsMatch(text);

    public static bool IsSymbol(string? text) => text is not null && SymbolPattern().IsMatch(text);

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

    // \z, not $: in .NET $ also matches before a final newline, which let "alice\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^[A-Z0-9]{2,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();
}
