using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger;

/// <summary>
/// An instrument's symbol (<c>BTCUSDT</c>), always valid: 2 to 20 of A-Z and 0-9. Input text becomes one through
/// <see cref="Parse"/>, once, where a command is decided; it cannot be passed where an <see cref="Asset"/> is meant,
/// although both are spelled with the same letters. Compared ordinally; on the wire it is the plain string.
/// An id read back from a log by <see cref="ParseStored"/> may end in the newline releases up to 0.1.0 let through.
/// </summary>
public readonly record struct Symbol : IComparable<Symbol>
{
    private readonly string? value;

    private Symbol(string value) => this.value = value;

    /// <summary>The symbol's text.</summary>
    public string Value => value ?? "";

    /// <summary>The symbol <paramref name="text"/> names, or why it is not one; <paramref name="field"/> names the
    /// field in the message.</summary>
    public static Checked<Symbol> Parse(string? text, string field = "symbol") =>
        Identifiers.IsSymbol(text)
            ? Checked.Valid(new Symbol(text!))
            : Checked.Invalid<Symbol>(Identifiers.SymbolProblem(text, field));

    /// <summary>
    /// The id a log holds, read back: what <see cref="Parse"/> takes, and also an id followed by one final newline,
    /// which releases up to 0.1.0 accepted and may have recorded. Only stored text is read this way.
    /// </summary>
    public static Checked<Symbol> ParseStored(string? text) =>
        Identifiers.IsStored(text, Identifiers.IsSymbol) ? Checked.Valid(new Symbol(text!)) : Parse(text);

    /// <summary>A literal symbol, checked, never trusted.</summary>
    /// <exception cref="ArgumentException">the text is not a symbol.</exception>
    public static implicit operator Symbol(string text) => Identifiers.Require(Parse(text), nameof(text));

    /// <inheritdoc />
    public int CompareTo(Symbol other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Ordinal order.</summary>
    public static bool operator <(Symbol left, Symbol right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator <=(Symbol left, Symbol right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >(Symbol left, Symbol right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >=(Symbol left, Symbol right) => left.CompareTo(right) >= 0;
}
