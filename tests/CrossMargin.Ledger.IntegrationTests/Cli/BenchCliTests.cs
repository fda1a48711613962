using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>The bench prints each figure beside its physical limit, measured in the same run; no timing is asserted
/// (speed is checked by running the bench, never by a test), only that every figure is there and makes sense.</summary>
public sealed class BenchCliTests
{
    private TempDirectory directory = null!;

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    [Test]
    public async Task The_apply_bench_prints_the_raw_limits_of_the_same_rows_and_the_build()
    {
        var file = directory.File("bench.db");
        var run = await LedgerProcess.Run(directory.Path, null, "bench", "--commands", "300", "--file", file);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        // replayed twice: as a process starting on the file, then warm
        var replayed = Count(run.Out, @"full replay from SQLite, warm\s+(\d+) events");
        Assert.That(Count(run.Out, @"full replay from SQLite, cold\s+(\d+) events"), Is.EqualTo(replayed));
        Assert.That(Count(run.Out, @"raw read of the same rows\s+(\d+) rows"), Is.EqualTo(replayed));
        Assert.That(Count(run.Out, @"raw insert of the same rows, one commit\s+(\d+) rows"), Is.EqualTo(replayed));
        foreach (var ratio in new[] { "full replay", "apply into SQLite" })
            Assert.That(
                decimal.Parse(
                    Regex.Match(run.Out, ratio + @"[^\n]* runs at ([0-9.]+) of the raw").Groups[1].Value,
                    CultureInfo.InvariantCulture
                ),
                Is.GreaterThan(0m),
                ratio
            );
        Assert.That(run.Out, Does.Match(@"peak working set \d+ MiB; build \S+"));
        Assert.That(File.Exists(file + ".raw"), Is.False, "the raw insert's file is deleted");
        // the runtime loop runs another seed's workload cold, then this one warm, each also in commands/s
        Assert.That(Count(run.Out, @"runtime loop in memory, warm\s+(\d+) events"), Is.EqualTo(replayed));
        Assert.That(Count(run.Out, @"runtime loop in memory, cold\s+(\d+) events"), Is.GreaterThan(0));
        Assert.That(Regex.Matches(run.Out, @"that is 300 commands at [\d,]+ commands/s"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task The_trigger_bench_times_the_margin_kernel_over_every_holder()
    {
        var file = directory.File("trigger.db");
        var run = await LedgerProcess.Run(
            directory.Path,
            null,
            "bench",
            "--scenario",
            "trigger",
            "--accounts",
            "330",
            "--file",
            file
        );
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        // one account in 33 is thin enough to cross: the kernel finds exactly the accounts the cascade liquidates
        Assert.That(run.Out, Does.Match(@"margin kernel over every holder \(best of 5\)\s+330 accounts evaluated"));
        Assert.That(Regex.Match(run.Out, @"; (\d+) liquidatable").Groups[1].Value, Is.EqualTo("10"));
        Assert.That(Regex.Match(run.Out, @"; (\d+) liquidations,").Groups[1].Value, Is.EqualTo("10"));
        // the trigger index evaluates the accounts the crash reaches, not every holder, and decides the same events
        Assert.That(
            Count(run.Out, @"5 % crash, trigger index \(best of 3\)\s+(\d+) accounts evaluated"),
            Is.LessThan(100)
        );
        Assert.That(run.Out, Does.Match(@"5 % crash, every holder scanned \(best of 3\)\s+330 accounts evaluated"));
        // with an empty fund every thin long's deficit is deleveraged; the bench stops if the book and a fresh ranking
        // disagree, so reaching the line says they wrote the same events
        Assert.That(Count(run.Out, @"5 % crash, empty fund, ADL \(best of 3\)\s+(\d+) ADL fills"), Is.EqualTo(10));
        Assert.That(run.Out, Does.Match(@"5 % crash, empty fund, ADL ranked afresh\s+330 accounts"));
        Assert.That(
            run.Out,
            Does.Match(@"0\.1 % mark move, nobody crosses \(mean\)\s+1000 price updates, +[\d.]+ µs each")
        );
        // the crash's append beside the raw insert of its very rows into a copy of the file, which is gone afterwards
        var appended = Count(run.Out, @"5 % crash end to end on SQLite\s+(\d+) events appended");
        Assert.That(appended, Is.GreaterThan(10));
        var raw = Matched(
            run.Out,
            @"raw insert of its rows into a copy of the file\s+(\d+) events in .*; with their (\d+) seals, (\d+) "
                + @"stream heads and 1 command record"
        );
        Assert.That(Number(raw.Groups[1].Value), Is.EqualTo(appended));
        Assert.That(Number(raw.Groups[2].Value), Is.EqualTo(appended), "one seal per event");
        Assert.That(Number(raw.Groups[3].Value), Is.InRange(10, appended), "the liquidated accounts' streams and more");
        Assert.That(run.Out, Does.Match(@"the crash end to end takes [\d.]+× the raw insert's time"));
        Assert.That(File.Exists(file), Is.True, "the bench keeps the file it was given");
        Assert.That(
            Directory.GetFiles(directory.Path).Where(f => f.Contains(".limit", StringComparison.Ordinal)),
            Is.Empty,
            "the copy is deleted"
        );
        // a new session starts from the snapshot written after the replay and replays only the crash since
        Assert.That(run.Out, Does.Match(@"snapshot of the replayed state written\s+330 accounts"));
        Assert.That(
            run.Out,
            Does.Match(@"session start from the snapshot\s+\d+ tail events replayed in .*; snapshot at \d+")
        );
        // a fresh process on the file (this program as `bench --scenario start`) starts from the same snapshot and
        // folds the tail after it, which holds the price the new session appended after its start, then decides a
        // price
        var snapshot = Count(run.Out, @"session start from the snapshot .*; snapshot at (\d+)");
        var sessionTail = Count(run.Out, @"session start from the snapshot\s+(\d+) tail events");
        var fresh = Matched(
            run.Out,
            @"fresh process: state at the head\s+[\d.]+ ms from launch; at event [\d,]+, ([\d,]+) tail events "
                + @"after the snapshot at ([\d,]+)"
        );
        Assert.That(Number(fresh.Groups[2].Value), Is.EqualTo(snapshot));
        Assert.That(Number(fresh.Groups[1].Value), Is.GreaterThan(sessionTail));
        Assert.That(run.Out, Does.Match(@"fresh process: first price decided\s+[\d.]+ ms from launch"));
    }

    [Test]
    public async Task The_fresh_start_scenario_decides_a_price_on_an_existing_log_and_appends_nothing()
    {
        var missing = directory.File("missing.db");
        foreach (
            var (args, message) in new (string[], string)[]
            {
                ([], "--scenario start needs --file naming the SQLite log to open"),
                (["--file", missing], $"--scenario start: there is no ledger file at {missing}"),
            }
        )
        {
            var refused = await LedgerProcess.Run(directory.Path, null, ["bench", "--scenario", "start", .. args]);
            Assert.That(refused.ExitCode, Is.Not.EqualTo(0), message);
            Assert.That(refused.Error, Does.Contain(message));
            Assert.That(File.Exists(missing), Is.False, "a missing file is not created");
        }

        // a log with no price yet: it opens, but there is nothing to decide
        var log = directory.File("log.db");
        var deposit = """{"type":"deposit","account":"alice","asset":"USDT","amount":"10"}""";
        Assert.That((await LedgerProcess.Run(directory.Path, deposit, "apply", "--store", log, "-")).ExitCode, Is.Zero);
        var noPrice = await LedgerProcess.Run(directory.Path, null, "bench", "--scenario", "start", "--file", log);
        Assert.That(noPrice.ExitCode, Is.Not.EqualTo(0));
        Assert.That(noPrice.Error, Does.Contain($"{log} has no priced instrument to update"));
        Assert.That(noPrice.Out, Does.Contain("ready at event 1, no snapshot"));

        // listed and priced: the price at the mark is decided, its event checked, and the log keeps its three events
        var listing =
            """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
            + """ "mmr":"0.004","maxLeverage":125}],"takerFeeRate":"0.0004","liquidationFeeRate":"0.005","""
            + """ "quantityStep":"0.001","tickSize":"0.1"}"""
            + "\n"
            + """{"type":"update-price","symbol":"BTCUSDT","price":60000}""";
        Assert.That((await LedgerProcess.Run(directory.Path, listing, "apply", "--store", log, "-")).ExitCode, Is.Zero);
        var decided = await LedgerProcess.Run(directory.Path, null, "bench", "--scenario", "start", "--file", log);
        Assert.That(decided.ExitCode, Is.Zero, decided.Error);
        Assert.That(decided.Out, Does.Contain("ready at event 3, no snapshot"));
        // three accounts' worth of state: below the background build's threshold, the engine builds the index
        Assert.That(decided.Out, Does.Contain("decided 1 event by the trigger index, not appended"));
        var verified = await LedgerProcess.Run(directory.Path, null, "verify", "--store", log);
        Assert.That(verified.Out, Does.StartWith("OK: 3 events"), verified.Out + verified.Error);

        // the log is opened read-only: its file is byte for byte what it was, and a file that is no ledger stays so
        var before = await File.ReadAllBytesAsync(log);
        Assert.That(
            (await LedgerProcess.Run(directory.Path, null, "bench", "--scenario", "start", "--file", log)).ExitCode,
            Is.Zero
        );
        Assert.That(await File.ReadAllBytesAsync(log), Is.EqualTo(before));
        var empty = directory.File("empty.db");
        await File.WriteAllBytesAsync(empty, []);
        var notLedger = await LedgerProcess.Run(directory.Path, null, "bench", "--scenario", "start", "--file", empty);
        Assert.That(notLedger.ExitCode, Is.EqualTo(1), notLedger.Error);
        Assert.That(notLedger.Error, Does.Contain($"--scenario start: {empty} is not a ledger file"));
        Assert.That(new FileInfo(empty).Length, Is.Zero);
    }

    private static long Number(string text) => long.Parse(text.Replace(",", ""), CultureInfo.InvariantCulture);

    [Test]
    public async Task The_stress_bench_runs_the_cascade_and_as_many_paths_as_asked()
    {
        var run = await LedgerProcess.Run(
            directory.Path,
            null,
            "bench",
            "--scenario",
            "stress",
            "--accounts",
            "400",
            "--paths",
            "6"
        );
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(run.Out, Does.Match(@"synthetic venue decided\s+\d+ ms\s+400 accounts"));
        Assert.That(Count(run.Out, @"20-round cascade \(best of 3\)\s+\d+ ms\s+(\d+) rounds"), Is.InRange(1, 20));
        Assert.That(run.Out, Does.Match(@"Monte Carlo, 6 paths on \d+ core\(s\)"));
        Assert.That(run.Out, Does.Match(@"peak working set \d+ MiB; build \S+"));

        // refused before the venue is built, at either end
        foreach (var paths in new[] { "0", "1000001" })
        {
            var refused = await LedgerProcess.Run(
                directory.Path,
                null,
                "bench",
                "--scenario",
                "stress",
                "--paths",
                paths
            );
            Assert.That(refused.ExitCode, Is.Not.EqualTo(0));
            Assert.That(refused.Error, Does.Contain($"--paths takes 1 to 1,000,000 paths, not {paths}"));
            Assert.That(refused.Out, Does.Not.Contain("synthetic venue decided"));
        }
    }

    private static Match Matched(string output, string pattern)
    {
        var match = Regex.Match(output, pattern);
        Assert.That(match.Success, pattern + "\n" + output);
        return match;
    }

    private static long Count(string output, string pattern)
    {
        var match = Matched(output, pattern);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
