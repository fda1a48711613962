using System.Runtime;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// The collector in batch mode for as long as a what-if study runs (design §9). A study keeps both cores busy for
/// seconds to minutes and answers nobody while it runs; the collector's background full collections, which keep a
/// writer responsive, only compete with it (the 20-round cascade took 0.94× the time at the median of six pairs,
/// docs/benchmarks.md): every collection blocks instead, none runs beside the study. The mode the process had comes
/// back when the last scope open ends, whatever order scopes end in, so a host that runs studies and then serves
/// requests gets its background collections back.
/// </summary>
internal sealed class ThroughputGc : IDisposable
{
    private static readonly Lock Sync = new();

    // how many scopes are open, and the mode the process had before the first of them
    private static int open;
    private static GCLatencyMode before;

    private bool disposed;

    private ThroughputGc()
    {
        lock (Sync)
        {
            // the mode is set before the scope counts: a setter that throws (inside a no-collection region) leaves
            // no scope open that nobody can end
            if (open == 0)
            {
                var had = GCSettings.LatencyMode;
                GCSettings.LatencyMode = GCLatencyMode.Batch;
                before = had;
            }
            open++;
        }
    }

    /// <summary>Batch mode until the returned scope, and every other one open, is disposed.</summary>
    public static ThroughputGc Begin() => new();

    /// <summary>Ends this scope (once, however often it is called); the last one open gives the mode back.</summary>
    public void Dispose()
    {
        lock (Sync)
        {
            if (disposed)
                return;
            disposed = true;
            if (--open == 0)
                GCSettings.LatencyMode = before;
        }
    }
}
