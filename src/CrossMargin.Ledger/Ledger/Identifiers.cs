using System.Text.RegularExpressions;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// What account ids and symbols may look like. They become stream names and file-safe report keys,
/// so they are plain ASCII: accounts <c>[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}</c>, symbols and assets
/// <c>[A-Z0-9]{2,20}</c>.
/// </summary>
public static partial class Identifiers
{
    /// <summary>Null when valid, else why not.</summary>
    public static string? CheckAccount(string? id) =>
        id is not null && AccountPattern().IsMatch(id)
            ? null
            : $"account '{id}' must match [A-Za-z0-9][A-Za-z0-9_.:-]{{0,63}}";

    /// <summary>Null when valid, else why not; <paramref name="field"/> names the field in the message.</summary>
    public static string? CheckSymbol(string? symbol, string field) =>
        symbol is not null && SymbolPattern().IsMatch(symbol)
            ? null
            : $"{field} '{symbol}' must be 2 to 20 of A-Z and 0-9";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[A-Z0-9]{2,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();
}
