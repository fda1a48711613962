using System.Collections.Concurrent;
using System.Reflection;
using CrossMargin.Ledger.Commands;

namespace CrossMargin.Ledger.Events;

/// <summary>The wire name of an event or command (its <see cref="WireNameAttribute"/>).</summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, string> Cache = new();

    /// <summary>The stored name of <paramref name="e"/>'s type.</summary>
    public static string Of(ILedgerEvent e) => Of(e.GetType());

    /// <summary>The stored name of <paramref name="command"/>'s type.</summary>
    public static string Of(LedgerCommand command) => Of(command.GetType());

    private static string Of(Type type) =>
        Cache.GetOrAdd(
            type,
            t =>
                t.GetCustomAttribute<WireNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{t.Name} has no wire name")
        );
}
