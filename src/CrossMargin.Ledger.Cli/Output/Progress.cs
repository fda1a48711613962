using System.Globalization;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>
/// Progress of a long study on stderr, so stdout stays the report: a bar redrawn in place on a terminal, a plain line
/// every tenth of the way when stderr is a file or a pipe (a log reads them).
/// </summary>
internal sealed class Progress(string what, int total, string unit) : IProgress<int>, IDisposable
{
    private readonly object gate = new();
    private readonly bool terminal = !Console.IsErrorRedirected;
    private int shown = -1;

    /// <summary>A line on stderr.</summary>
    public static void Line(string text) => Console.Error.WriteLine(text);

    public void Report(int value)
    {
        lock (gate)
        {
            var done = Math.Clamp(value, 0, total);
            // a terminal redraws at each percent, a log gets a line at each tenth
            var step = terminal ? done * 100 / Math.Max(total, 1) : done * 10 / Math.Max(total, 1);
            if (step <= shown)
                return;
            shown = step;
            var percent = done * 100 / Math.Max(total, 1);
            var count = string.Create(CultureInfo.InvariantCulture, $"{done:N0}/{total:N0} {unit}");
            if (terminal)
            {
                var filled = percent * 30 / 100;
                Console.Error.Write(
                    $"\r{what} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}% {count}"
                );
            }
            else
                Console.Error.WriteLine($"{what}: {percent}% ({count})");
        }
    }

    public void Dispose()
    {
        if (terminal && shown >= 0)
            Console.Error.WriteLine();
    }
}
