using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger;

/// <summary>
/// An asset's code (<c>USDT</c>, <c>BTC</c>), always valid: 2 to 20 of A-Z and 0-9. Input text becomes one through
/// <see cref="Parse"/>, once, where a command is decided; it cannot be passed where a <see cref="Symbol"/> is meant.
/// Compared ordinally; on the wire it is the plain string.
/// An id read back from a log by <see cref="ParseStored"/> may end in the newline releases up to 0.1.0 let through.
/// </summary>
public readonly record struct Asset : IComparable<Asset>
{
    private readonly string? value;

    private Asset(string value) => this.value = value;

    /// <summary>The asset's code.</summary>
    public string Value => value ?? "";

    /// <summary>The asset <paramref name="text"/> names, or why it is not one; <paramref name="field"/> names the
    /// field in the message.</summary>
    public static Checked<Asset> Parse(string? text, string field = "asset") =>
        Identifiers.IsSymbol(text)
            ? Checked.Valid(new Asset(text!))
            : Checked.Invalid<Asset>(Identifiers.SymbolProblem(text, field));

    /// <summary>
    /// The id a log holds, read back: what <see cref="Parse"/> takes, and also an id followed by one final newline,
    /// which releases up to 0.1.0 accepted and may have recorded. Only stored text is read this way.
    /// </summary>
    public static Checked<Asset> ParseStored(string? text) =>
        Identifiers.IsStored(text, Identifiers.IsSymbol) ? Checked.Valid(new Asset(text!)) : Parse(text);

    /// <summary>A literal asset code, checked, never trusted.</summary>
    /// <exception cref="ArgumentException">the text is not an asset code.</exception>
    public static implicit operator Asset(string text) => Identifiers.Require(Parse(text), nameof(text));

    /// <inheritdoc />
    public int CompareTo(Asset other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Ordinal order.</summary>
    public static bool operator <(Asset left, Asset right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator <=(Asset left, Asset right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >(Asset left, Asset right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >=(Asset left, Asset right) => left.CompareTo(right) >= 0;
}
