using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>An expected version is a version or "any", never a magic number.</summary>
public sealed class ExpectedVersionTests
{
    [Test]
    public void A_version_allows_only_that_head_and_any_allows_every_head()
    {
        Assert.That(ExpectedVersion.At(3).Allows(3), Is.True);
        Assert.That(ExpectedVersion.At(3).Allows(4), Is.False);
        Assert.That(ExpectedVersion.NoStream.Allows(0), Is.True);
        Assert.That(ExpectedVersion.NoStream.Allows(1), Is.False);
        Assert.That(new[] { 0L, 1L, 1_000_000L }.Select(ExpectedVersion.Any.Allows), Is.All.True);
    }

    [Test]
    public void A_negative_version_is_refused_rather_than_read_as_any() =>
        Assert.That(() => ExpectedVersion.At(-1), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void It_reads_as_the_version_or_any() =>
        Assert.That((ExpectedVersion.At(7).ToString(), ExpectedVersion.Any.ToString()), Is.EqualTo(("7", "any")));
}
