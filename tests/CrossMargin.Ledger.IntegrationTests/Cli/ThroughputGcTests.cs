using System.Runtime;
using CrossMargin.Ledger.Cli.Verbs;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>A what-if study runs the collector in batch mode, and gives the process its mode back when it
/// ends.</summary>
public sealed class ThroughputGcTests
{
    [Test]
    public void A_study_collects_in_batch_mode_and_gives_the_mode_back()
    {
        var before = GCSettings.LatencyMode;
        // the test host, like the ledger, collects in the background: the scope has a mode to change and give back
        Assert.That(before, Is.Not.EqualTo(GCLatencyMode.Batch));
        using (ThroughputGc.Begin())
        {
            Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
            // a study inside a study (a bench that runs one) gives back batch mode, not the host's
            using (ThroughputGc.Begin())
                Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
            Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
        }
        Assert.That(GCSettings.LatencyMode, Is.EqualTo(before));
    }
}
