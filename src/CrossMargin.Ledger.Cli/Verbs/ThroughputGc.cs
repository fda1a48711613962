using System.Runtime;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// The collector in batch mode for as long as a what-if study runs (design §9). A study keeps both cores busy for
/// seconds to minutes and answers nobody while it runs; the collector's background full collections, which keep a
/// writer responsive, cost it about a tenth of its time (docs/benchmarks.md): every collection blocks instead, none
/// runs beside the study. The mode the process had comes back when the scope ends, so a host that runs a study and
/// then serves requests gets its background collections back.
/// </summary>
internal sealed class ThroughputGc : IDisposable
{
    private readonly GCLatencyMode before;

    private ThroughputGc()
    {
        before = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
    }

    /// <summary>Batch mode until the returned scope is disposed.</summary>
    public static ThroughputGc Begin() => new();

    public void Dispose() => GCSettings.LatencyMode = before;
}
