namespace CrossMargin.Ledger.Events;

/// <summary>
/// The stable, versioned name an event or command type is stored under, e.g. <c>trade-filled.v1</c> or
/// <c>deposit.v1</c> (a command's name is part of its idempotency payload). It never follows a CLR rename:
/// a stored name is forever, a new shape gets a new version.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WireNameAttribute(string name) : Attribute
{
    /// <summary>The stored name.</summary>
    public string Name { get; } = name;
}

/// <summary>Marker of every ledger event: a sealed record with a <see cref="WireNameAttribute"/>.</summary>
#pragma warning disable CA1040 // a marker interface closes the union of event types for the compiler
public interface ILedgerEvent;
#pragma warning restore CA1040
