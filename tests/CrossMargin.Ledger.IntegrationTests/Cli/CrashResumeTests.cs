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

    /// <summary>
    /// The writer answers a line only once the group holding it is committed (one transaction, one sync to disk), so
    /// whatever it printed before a SIGKILL must be in the log: after each of 30 kills at random moments every
    /// answered line's command id has its record (accepted or rejected), and <c>verify</c> passes, which also
    /// holds every command record to the events it names (no command is partly there). Runs resume on the same
    /// file, which starts afresh every ten kills so the workload never runs out.
    /// </summary>
    [Test]
    public async Task Every_answered_command_is_in_the_log_after_each_of_thirty_kills()
    {
        var workload = Workload(20_000);
        var random = new Random(31);
        var kills = 0;
        var checkedIds = 0;
        var file = "";
        for (var attempt = 0; kills < 30 && attempt < 90; attempt++)
        {
            if (kills % 10 == 0)
                file = Directory.File($"answered-{attempt}.db");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Directory.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in (string[])["exec", LedgerProcess.Dll, "apply", "--store", file, workload])
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await Task.Delay(random.Next(300, 2_000));
            if (process.HasExited)
                continue;
            process.Kill(entireProcessTree: true); // SIGKILL
            kills++;
            await process.WaitForExitAsync();
            await errors;
            // a line cut by the kill was never answered
            var answered = (await output)
                .Split('\n')
                .Select(l => l.StartsWith('{') && l.EndsWith('}') ? JObject.Parse(l) : null)
                .OfType<JObject>()
                .Select(j => $"k-{(int)j["line"]! - 1}")
                .ToList();
            if (!File.Exists(file))
                continue;
            var recorded = await RecordedIds(file);
            Assert.That(
                answered.Where(id => !recorded.Contains(id)),
                Is.Empty,
                $"kill {kills}: answered, not recorded"
            );
            checkedIds += answered.Count;
            var verify = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", file);
            Assert.That(verify.ExitCode, Is.Zero, $"kill {kills}: {verify.Out}{verify.Error}");
        }
        Assert.That(kills, Is.EqualTo(30));
        Assert.That(checkedIds, Is.GreaterThan(10_000), "the kills came after many answers, not only at start-up");
    }

    /// <summary>Every command id the file records, accepted or rejected.</summary>
    private static async Task<HashSet<string>> RecordedIds(string file)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT command_id FROM commands UNION ALL SELECT command_id FROM rejected_commands";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>A result line without its global positions, which may differ on PostgreSQL (sequence gaps).</summary>
    private static string Strip(string line) =>
        System.Text.RegularExpressions.Regex.Replace(line, "\"globalPosition\":\\d+,", "");
}
