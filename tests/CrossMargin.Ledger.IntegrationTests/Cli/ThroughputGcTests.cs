using System.Runtime;
using CrossMargin.Ledger.Cli.Verbs;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>A what-if study runs the collector in batch mode, and gives the process its mode back when the last study
/// open ends.</summary>
[NonParallelizable]
public sealed class ThroughputGcTests
{
    [Test]
    public void A_study_collects_in_batch_mode_and_gives_the_mode_back()
    {
        var host = GCSettings.LatencyMode;
        try
        {
            // a host that collects in the background (as the ledger and the test host do) has a mode to give back
            GCSettings.LatencyMode = GCLatencyMode.Interactive;
            var before = GCSettings.LatencyMode;
            if (before == GCLatencyMode.Batch)
                Assert.Ignore("this process collects in batch mode only (background collection is off)");
            using (ThroughputGc.Begin())
            {
                Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
                // a study inside a study (a bench that runs one) leaves batch mode in place when it ends
                using (ThroughputGc.Begin())
                    Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
                Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
            }
            Assert.That(GCSettings.LatencyMode, Is.EqualTo(before));

            // two studies that end out of order (a host running them at once): the mode comes back when the last
            // ends, and only then; ending one twice counts once
            var first = ThroughputGc.Begin();
            var second = ThroughputGc.Begin();
            try
            {
                first.Dispose();
                first.Dispose();
                Assert.That(GCSettings.LatencyMode, Is.EqualTo(GCLatencyMode.Batch));
            }
            finally
            {
                second.Dispose();
                first.Dispose();
            }
            Assert.That(GCSettings.LatencyMode, Is.EqualTo(before));
        }
        finally
        {
            GCSettings.LatencyMode = host;
        }
    }
}
