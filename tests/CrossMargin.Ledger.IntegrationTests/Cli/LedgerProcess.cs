using System.Diagnostics;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>Runs the built <c>ledger</c> program as a real process: arguments, standard input, exit code and
/// output.</summary>
public static class LedgerProcess
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string[] Lines =>
            Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// The program under test: the build next to the tests, or the build in <c>LEDGER_TEST_CLI_DIR</c> (to show
    /// that a test fails on an earlier release).
    /// </summary>
    public static string Dll =>
        Path.Combine(
            Environment.GetEnvironmentVariable("LEDGER_TEST_CLI_DIR") is { Length: > 0 } dir
                ? dir
                : AppContext.BaseDirectory,
            "ledger.dll"
        );

    public static Task<Result> Run(string workingDirectory, string? input, params string[] args) =>
        RunWithStore(workingDirectory, input, null, args);

    /// <summary>Runs with <c>LEDGER_STORE</c> set to <paramref name="ledgerStore"/> (removed when null).</summary>
    public static async Task<Result> RunWithStore(
        string workingDirectory,
        string? input,
        string? ledgerStore,
        params string[] args
    )
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("LEDGER_STORE");
        if (ledgerStore is not null)
            start.Environment["LEDGER_STORE"] = ledgerStore;
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        // read while writing: a large input and its results would otherwise fill both pipes and wait forever
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (input is not null)
                await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the program stopped reading (it ended early, as on a failure): what it printed still counts
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
