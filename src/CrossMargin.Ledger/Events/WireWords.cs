using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;

namespace CrossMargin.Ledger.Events;

/// <summary>
/// The stored spelling of an enum word in events and outputs: its <see cref="EnumMemberAttribute"/> value, else
/// the member name with a lower-case first letter (<c>Long</c> → <c>long</c>), as the wire JSON writes it. Text
/// outputs use it so that a table shows exactly the word the log holds.
/// </summary>
public static class WireWords
{
    private static readonly ConcurrentDictionary<(Type, string), string> Cache = new();

    /// <summary>The stored word of <paramref name="value"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum =>
        Cache.GetOrAdd(
            (typeof(T), value.ToString()),
            key =>
                key.Item1.GetField(key.Item2)?.GetCustomAttribute<EnumMemberAttribute>()?.Value
                ?? char.ToLowerInvariant(key.Item2[0]) + key.Item2[1..]
        );
}
