using System.Diagnostics;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger;

/// <summary>
/// An account's id, always valid: <c>[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}</c>, plain ASCII, because it becomes a stream
/// name and a file-safe report key. Input text becomes one through <see cref="Parse"/>, once, where a command is
/// decided; past that point no code re-validates it, and it cannot be passed where a <see cref="Symbol"/> or an
/// <see cref="Asset"/> is meant. Compared ordinally; on the wire it is the plain string.
/// An id read back from a log by <see cref="ParseStored"/> may end in the newline releases up to 0.1.0 let through.
/// </summary>
public readonly record struct AccountId : IComparable<AccountId>
{
    private readonly string? value;

    /// <summary>
    /// The id's first ten characters as a base-68 number, each character by its rank in ordinal order (0 past the
    /// end), times two, plus one when the id is longer. Ids compare as their keys do wherever the keys differ, and
    /// equal keys of ids of ten characters or fewer are equal ids, so a comparison reads the text only for two long ids
    /// sharing their first ten characters: a search in a map of 100 000 accounts reads the key beside each node
    /// instead of a string elsewhere in memory (design §9). 68¹⁰ × 2 is below 2⁶⁴.
    /// </summary>
    private readonly ulong order;

    private const int KeyedChars = 10;

    private AccountId(string value)
    {
        this.value = value;
        var key = 0UL;
        for (var i = 0; i < KeyedChars; i++)
            key = key * 68 + (i < value.Length ? Rank(value[i]) : 0UL);
        order = key * 2 + (value.Length > KeyedChars ? 1UL : 0UL);
    }

    /// <summary>The rank of an id's character in ordinal order, from 1: the newline a stored id may end in, then
    /// <c>- . 0-9 : A-Z _ a-z</c>.</summary>
    private static ulong Rank(char c) =>
        c switch
        {
            '\n' => 1,
            '-' => 2,
            '.' => 3,
            >= '0' and <= '9' => 4UL + c - '0',
            ':' => 14,
            >= 'A' and <= 'Z' => 15UL + c - 'A',
            '_' => 41,
            >= 'a' and <= 'z' => 42UL + c - 'a',
            _ => throw new UnreachableException($"'{c}' in an account id that was checked"),
        };

    /// <summary>The same text.</summary>
    public bool Equals(AccountId other) =>
        order == other.order && string.Equals(value, other.value, StringComparison.Ordinal);

    /// <summary>Seeded per process, as a string's is, so ids chosen to collide in a hash set cannot be
    /// found ahead.</summary>
    public override int GetHashCode() =>
        (order & 1) == 0 ? HashCode.Combine(order) : HashCode.Combine(order, StringComparer.Ordinal.GetHashCode(Value));

    /// <summary>The id's text.</summary>
    public string Value => value ?? "";

    /// <summary>The id <paramref name="text"/> names, or why it is not one.</summary>
    public static Checked<AccountId> Parse(string? text) =>
        Identifiers.IsAccount(text)
            ? Checked.Valid(new AccountId(text!))
            : Checked.Invalid<AccountId>($"account '{text}' must match [A-Za-z0-9][A-Za-z0-9_.:-]{{0,63}}");

    /// <summary>
    /// The id a log holds, read back: what <see cref="Parse"/> takes, and also an id followed by one final newline,
    /// which releases up to 0.1.0 accepted and may have recorded. Only stored text is read this way.
    /// </summary>
    public static Checked<AccountId> ParseStored(string? text) =>
        Identifiers.IsStored(text, Identifiers.IsAccount) ? Checked.Valid(new AccountId(text!)) : Parse(text);

    /// <summary>A literal id, as <c>XName</c> takes a literal name: checked, never trusted.</summary>
    /// <exception cref="ArgumentException">the text is not an account id.</exception>
    public static implicit operator AccountId(string text) => Identifiers.Require(Parse(text), nameof(text));

    /// <inheritdoc />
    public int CompareTo(AccountId other) =>
        order != other.order ? order.CompareTo(other.order)
        : (order & 1) == 0 ? 0
        : string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Ordinal order.</summary>
    public static bool operator <(AccountId left, AccountId right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator <=(AccountId left, AccountId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >(AccountId left, AccountId right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >=(AccountId left, AccountId right) => left.CompareTo(right) >= 0;
}
