using System.Collections.Concurrent;
using System.Reflection;

namespace CrossMargin.Ledger.Events;

/// <summary>The wire name of an event (its <see cref="WireNameAttribute"/>), for events that refer to other events.</summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, string> Cache = new();

    /// <summary>The stored name of <paramref name="e"/>'s type.</summary>
    public static string Of(ILedgerEvent e) => Cache.GetOrAdd(e.GetType(), t =>
        t.GetCustomAttribute<WireNameAttribute>()?.Name ?? throw new InvalidOperationException($"{t.Name} has no wire name"));
}
