using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CrossMargin.Ledger.Accounts;

/// <summary>Makes <see cref="SmallSortedDictionary{TKey, TValue}"/>s.</summary>
[SuppressMessage(
    "Naming",
    "CA1711",
    Justification = "the factory of the generic type, named as ImmutableSortedDictionary's is"
)]
public static class SmallSortedDictionary
{
    /// <summary>The map with no entries (the type's default).</summary>
    public static SmallSortedDictionary<TKey, TValue> Empty<TKey, TValue>()
        where TKey : notnull => default;

    /// <summary>A map of <paramref name="items"/>, in key order whatever their order here.</summary>
    /// <exception cref="ArgumentException">two items have the same key.</exception>
    public static SmallSortedDictionary<TKey, TValue> Of<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> items)
        where TKey : notnull => Sorted(items.ToArray());

    /// <summary>A map of a copy of <paramref name="items"/>, in key order whatever their order here: a reader
    /// gathering an account's entries into a buffer of its own makes a map with one allocation.</summary>
    /// <exception cref="ArgumentException">two items have the same key.</exception>
    public static SmallSortedDictionary<TKey, TValue> Of<TKey, TValue>(ReadOnlySpan<KeyValuePair<TKey, TValue>> items)
        where TKey : notnull => Sorted(items.ToArray());

    /// <summary>The map of <paramref name="items"/>, sorted in place unless they already are in key order.</summary>
    private static SmallSortedDictionary<TKey, TValue> Sorted<TKey, TValue>(KeyValuePair<TKey, TValue>[] items)
        where TKey : notnull
    {
        if (!InOrder(items))
        {
            Array.Sort(items, static (a, b) => Comparer<TKey>.Default.Compare(a.Key, b.Key));
            if (!InOrder(items))
                throw new ArgumentException(
                    $"the key {items.Zip(items.Skip(1)).First(p => Same(p.First, p.Second)).First.Key} appears twice",
                    nameof(items)
                );
        }
        return new SmallSortedDictionary<TKey, TValue>(items);

        // strictly ascending: in order, and no key twice
        static bool InOrder(KeyValuePair<TKey, TValue>[] items)
        {
            for (var i = 1; i < items.Length; i++)
                if (Comparer<TKey>.Default.Compare(items[i - 1].Key, items[i].Key) >= 0)
                    return false;
            return true;
        }

        static bool Same(KeyValuePair<TKey, TValue> a, KeyValuePair<TKey, TValue> b) =>
            Comparer<TKey>.Default.Compare(a.Key, b.Key) == 0;
    }
}

/// <summary>
/// An immutable map ordered by key, for the handful of entries one account holds (its balances, positions and
/// leverage settings): one sorted array, copied on every change. An account holds a few assets and instruments, so a
/// copy is a few words, a lookup is a short scan, and walking it allocates nothing. The margin kernel walks every
/// exposed account's maps at a price update, where a balanced tree's node per entry and its pooled enumerator cost
/// more than the arithmetic (design §9).
/// </summary>
/// <remarks>
/// It keeps the semantics of <see cref="System.Collections.Immutable.ImmutableSortedDictionary{TKey, TValue}"/>, which
/// it replaced, to the bit: entries in <see cref="Comparer{T}.Default"/> order, and <see cref="SetItem"/> of a value
/// equal to the one held (<see cref="EqualityComparer{T}.Default"/>: 1.50 equals 1.5) keeps the one held, scale and
/// all. Two maps are equal only when they are the same map (or both empty), as the tree's were.
/// </remarks>
public readonly struct SmallSortedDictionary<TKey, TValue>
    : IReadOnlyDictionary<TKey, TValue>,
        IEquatable<SmallSortedDictionary<TKey, TValue>>
    where TKey : notnull
{
    private readonly KeyValuePair<TKey, TValue>[]? entries;

    internal SmallSortedDictionary(KeyValuePair<TKey, TValue>[]? entries) =>
        this.entries = entries is { Length: > 0 } ? entries : null;

    /// <inheritdoc/>
    public int Count => entries?.Length ?? 0;

    /// <summary>Whether the map has no entries.</summary>
    public bool IsEmpty => entries is null;

    /// <inheritdoc/>
    public TValue this[TKey key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"the key {key} is not in the map");

    /// <inheritdoc/>
    public IEnumerable<TKey> Keys => (entries ?? []).Select(e => e.Key);

    /// <inheritdoc/>
    public IEnumerable<TValue> Values => (entries ?? []).Select(e => e.Value);

    /// <inheritdoc/>
    public bool ContainsKey(TKey key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var at = IndexOf(key);
        if (at < 0)
        {
            value = default;
            return false;
        }
        value = entries![at].Value;
        return true;
    }

    /// <summary>The value held for <paramref name="key"/>, or the type's default.</summary>
    public TValue? GetValueOrDefault(TKey key) => TryGetValue(key, out var value) ? value : default;

    /// <summary>The value held for <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public TValue GetValueOrDefault(TKey key, TValue fallback) => TryGetValue(key, out var value) ? value : fallback;

    /// <summary>The map with <paramref name="key"/> set to <paramref name="value"/>; this map itself when it already
    /// holds an equal value for the key.</summary>
    public SmallSortedDictionary<TKey, TValue> SetItem(TKey key, TValue value)
    {
        var at = IndexOf(key);
        if (at >= 0)
        {
            if (EqualityComparer<TValue>.Default.Equals(entries![at].Value, value))
                return this;
            var replaced = (KeyValuePair<TKey, TValue>[])entries.Clone();
            replaced[at] = new(key, value);
            return new SmallSortedDictionary<TKey, TValue>(replaced);
        }
        var insertAt = ~at;
        var old = entries ?? [];
        var grown = new KeyValuePair<TKey, TValue>[old.Length + 1];
        Array.Copy(old, grown, insertAt);
        grown[insertAt] = new(key, value);
        Array.Copy(old, insertAt, grown, insertAt + 1, old.Length - insertAt);
        return new SmallSortedDictionary<TKey, TValue>(grown);
    }

    /// <summary>The map without <paramref name="key"/>; this map itself when it does not hold the key.</summary>
    public SmallSortedDictionary<TKey, TValue> Remove(TKey key)
    {
        var at = IndexOf(key);
        if (at < 0)
            return this;
        var old = entries!;
        var shrunk = new KeyValuePair<TKey, TValue>[old.Length - 1];
        Array.Copy(old, shrunk, at);
        Array.Copy(old, at + 1, shrunk, at, old.Length - at - 1);
        return new SmallSortedDictionary<TKey, TValue>(shrunk);
    }

    /// <summary>Walks the entries in key order without allocating.</summary>
    public Enumerator GetEnumerator() => new(entries);

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() =>
        ((IEnumerable<KeyValuePair<TKey, TValue>>)(entries ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<TKey, TValue>>)this).GetEnumerator();

    /// <summary>The same map: the same entries array, or both empty.</summary>
    public bool Equals(SmallSortedDictionary<TKey, TValue> other) => ReferenceEquals(entries, other.entries);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SmallSortedDictionary<TKey, TValue> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        entries is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(entries);

    /// <summary>See <see cref="Equals(SmallSortedDictionary{TKey, TValue})"/>.</summary>
    public static bool operator ==(
        SmallSortedDictionary<TKey, TValue> left,
        SmallSortedDictionary<TKey, TValue> right
    ) => left.Equals(right);

    /// <summary>See <see cref="Equals(SmallSortedDictionary{TKey, TValue})"/>.</summary>
    public static bool operator !=(
        SmallSortedDictionary<TKey, TValue> left,
        SmallSortedDictionary<TKey, TValue> right
    ) => !left.Equals(right);

    /// <summary>The entry's index, or the bitwise complement of where it would go.</summary>
    private int IndexOf(TKey key)
    {
        if (entries is null)
            return ~0;
        for (var i = 0; i < entries.Length; i++)
        {
            var order = Comparer<TKey>.Default.Compare(entries[i].Key, key);
            if (order == 0)
                return i;
            if (order > 0)
                return ~i;
        }
        return ~entries.Length;
    }

    /// <summary>The entries in key order.</summary>
    public struct Enumerator
    {
        private readonly KeyValuePair<TKey, TValue>[]? entries;
        private int index;

        internal Enumerator(KeyValuePair<TKey, TValue>[]? entries)
        {
            this.entries = entries;
            index = -1;
        }

        /// <summary>The entry at the current position.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => entries![index];

        /// <summary>Moves to the next entry.</summary>
        public bool MoveNext() => entries is not null && ++index < entries.Length;
    }
}
