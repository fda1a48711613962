using System.Diagnostics;
using System.Globalization;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.EventStore.Sqlite;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// A writer killed with SIGKILL at random points, then the same file applied again until it completes, leaves
/// exactly the ledger one uninterrupted run leaves: the same events with the same hashes, in the same order.
/// Every line carries a command id (and its time), so the re-runs answer what was committed from its record —
/// rejections included — and decide only the rest. <c>LEDGER_SOAK_KILLS</c> raises the number of kills (default 4).
/// </summary>
public sealed class CrashResumeTests : TempDatabaseTest
{
    private static int Kills =>
        int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SOAK_KILLS"), CultureInfo.InvariantCulture, out var n)
            ? n
            : 4;

    /// <summary>The benchmark's workload (listings, funded accounts, orders, mark moves that liquidate, deposits) with
    /// an id, a time and an actor on every line.</summary>
    private string Workload(int lines)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var path = Directory.File("workload.jsonl");
        // plus a "ghost" account that withdraws 5 every 30 lines and is paid 8 every 70, then 1 000 at the end:
        // withdrawals refused for want of funds would pass if decided again later, so a re-run that decided
        // rejected lines afresh would leave another ledger
        var mixed = BenchWorkload
            .Lines(lines, seed: 11)
            .SelectMany(
                (line, i) =>
                    i % 30 == 29 ? [line, """{"type":"withdraw","account":"ghost","asset":"USDT","amount":"5"}"""]
                    : i % 70 == 69 ? [line, """{"type":"deposit","account":"ghost","asset":"USDT","amount":"8"}"""]
                    : new[] { line }
            )
            .Append("""{"type":"deposit","account":"ghost","asset":"USDT","amount":"1000"}""");
        File.WriteAllLines(
            path,
            mixed.Select(
                (line, i) =>
                {
                    var json = JObject.Parse(line);
                    json["commandId"] = $"k-{i}";
                    json["at"] = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    json["actor"] = "soak";
                    return json.ToString(Newtonsoft.Json.Formatting.None);
                }
            )
        );
        return path;
    }

    private static async Task<List<(string Stream, long Version, string Type, string Hash)>> Events(IEventStore store)
    {
        var list = new List<(string, long, string, string)>();
        await foreach (var e in store.ReadAllAsync())
            list.Add((e.Stream, e.StreamVersion, e.Type, e.Hash.Hex));
        await store.DisposeAsync();
        return list;
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Killed_writers_resumed_from_the_same_file_leave_the_uninterrupted_ledger(bool postgres)
    {
        var workload = Workload(3000);
        var reference = postgres ? Database.ConnectionString : Directory.File("reference.db");
        await using var crashDatabase = postgres ? await TestPostgres.CreateDatabaseAsync() : null;
        var crashed = postgres ? crashDatabase!.ConnectionString : Directory.File("crashed.db");

        var uninterrupted = await LedgerProcess.Run(Directory.Path, null, "apply", "--store", reference, workload);
        Assert.That(uninterrupted.ExitCode, Is.EqualTo(2), uninterrupted.Error);
        Assert.That(
            uninterrupted.Lines.Count(l => l.Contains("\"rejected\"", StringComparison.Ordinal)),
            Is.GreaterThan(10),
            "the workload has rejections to replay"
        );

        var random = new Random(7);
        var killed = 0;
        for (var attempt = 0; attempt < Kills; attempt++)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Directory.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in (string[])["exec", LedgerProcess.Dll, "apply", "--store", crashed, workload])
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await Task.Delay(random.Next(400, 2500));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // SIGKILL
                killed++;
            }
            await process.WaitForExitAsync();
            await output;
            Assert.That(await errors, Does.Not.Contain("   at "));
        }
        var completed = await LedgerProcess.Run(Directory.Path, null, "apply", "--store", crashed, workload);
        Assert.That(completed.ExitCode, Is.EqualTo(2), completed.Error);
        Assert.That(killed, Is.GreaterThan(0), "at least one run was killed mid-way");

        var expected = await Events(
            postgres
                ? await MartenEventStore.OpenReadOnlyAsync(reference)
                : await SqliteEventStore.OpenReadOnlyAsync(reference)
        );
        var actual = await Events(
            postgres
                ? await MartenEventStore.OpenReadOnlyAsync(crashed)
                : await SqliteEventStore.OpenReadOnlyAsync(crashed)
        );
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        Assert.That(actual, Is.EqualTo(expected), "the same events, hashes and order");
        // and every line is answered as the uninterrupted run answered it, now from its record
        var again = await LedgerProcess.Run(Directory.Path, null, "apply", "--store", crashed, workload);
        var first = await LedgerProcess.Run(Directory.Path, null, "apply", "--store", reference, workload);
        Assert.That(again.Lines.Select(Strip), Is.EqualTo(first.Lines.Select(Strip)));
        var verify = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", crashed);
        Assert.That(verify.ExitCode, Is.Zero, verify.Error);
    }

    /// <summary>A result line without its global positions, which may differ on PostgreSQL (sequence gaps).</summary>
    private static string Strip(string line) =>
        System.Text.RegularExpressions.Regex.Replace(line, "\"globalPosition\":\\d+,", "");
}
