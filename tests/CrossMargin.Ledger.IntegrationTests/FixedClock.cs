namespace CrossMargin.Ledger.IntegrationTests;

/// <summary>A clock that always says the same time, so recorded-at and hashes are reproducible.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
