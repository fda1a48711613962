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

    private AccountId(string value) => this.value = value;

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
    public int CompareTo(AccountId other) => string.CompareOrdinal(Value, other.Value);

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
