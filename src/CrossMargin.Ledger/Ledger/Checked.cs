using System.Diagnostics.CodeAnalysis;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// A value that passed its checks, or the one problem that stopped it (a sentence naming the field and the rule):
/// how a validation or a parse answers across a boundary, as a value the caller must look at.
/// </summary>
public readonly record struct Checked<T>
{
    private readonly T? value;

    internal Checked(T? value, string? problem)
    {
        this.value = value;
        Problem = problem;
    }

    /// <summary>Why the input was refused; null when it is valid.</summary>
    public string? Problem { get; }

    /// <summary>Whether the input passed its checks.</summary>
    public bool IsValid => Problem is null;

    /// <summary>The checked value.</summary>
    /// <exception cref="InvalidOperationException">the input was refused (read <see cref="Problem"/>
    /// first).</exception>
    public T Value => IsValid ? value! : throw new InvalidOperationException($"no value: {Problem}");

    /// <summary>
    /// The value when the input passed, else the problem: <c>if (!parsed.Is(out var v, out var why))</c>.
    /// </summary>
    public bool Is(out T value, [NotNullWhen(false)] out string? problem)
    {
        value = this.value!;
        problem = Problem;
        return IsValid;
    }

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"valid {value}" : $"invalid: {Problem}";
}

/// <summary>Builds <see cref="Checked{T}"/> answers.</summary>
public static class Checked
{
    /// <summary>A value that passed.</summary>
    public static Checked<T> Valid<T>(T value) => new(value, null);

    /// <summary>A refusal of a <typeparamref name="T"/>, with the sentence that explains it.</summary>
    public static Checked<T> Invalid<T>(string problem) => new(default, problem);
}
