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
// a marker interface: the union of event types, checked leaf by leaf by the consistency tests
#pragma warning disable CA1040
public interface ILedgerEvent;
#pragma warning restore CA1040
