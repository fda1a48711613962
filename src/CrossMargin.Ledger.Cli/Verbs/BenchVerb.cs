using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.EventStore.InMemory;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress.Simulation;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger bench</c>: the figures docs/benchmarks.md records — the runtime loop in memory
/// (events/s), the whole <c>apply</c> pipeline (parse, schema checks, decide, append) into the in-memory
/// store, warm, and into a fresh SQLite file through the single writer (commands/s, one durable transaction per
/// batch), and a full replay of that file (events/s), each beside the physical limit of the same rows measured in the
/// same run. Timings are wall clock on this machine; run in Release.
/// </summary>
public static class BenchVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var commands = new Option<int>("--commands")
        {
            Description = "commands in the workload",
            DefaultValueFactory = _ => 100_000,
        };
        var seed = new Option<int>("--seed") { Description = "workload seed", DefaultValueFactory = _ => 42 };
        var file = new Option<string?>("--file")
        {
            Description =
                "SQLite file to write (default: a new temporary file, deleted afterwards); with --scenario start, the "
                + "existing log to open, read-only",
        };
        var scenario = new Option<string>("--scenario")
        {
            Description =
                "apply (the command pipeline), trigger (one price update against many accounts), stress (a cascade "
                + "and a Monte Carlo study on a synthetic venue of --accounts) or postgres (append, replay, "
                + "projections and COPY on the PostgreSQL server of --store), or start (what a fresh process does "
                + "on an existing --file before its first decision; the trigger scenario runs it as a child process)",
            DefaultValueFactory = _ => "apply",
        };
        scenario.AcceptOnlyFromAmong("apply", "trigger", "stress", "postgres", "start");
        var accounts = new Option<int>("--accounts")
        {
            Description = "accounts holding the instrument (trigger scenario) or of the synthetic venue (stress)",
            DefaultValueFactory = _ => 100_000,
        };
        var paths = new Option<int>("--paths")
        {
            Description = "Monte Carlo paths of the stress scenario",
            DefaultValueFactory = _ => MonteCarloSpec.DefaultPaths,
        };
        var command = new Command(
            "bench",
            "Measure decide+evolve in memory, apply into SQLite and full replay; with --scenario trigger, the "
                + "liquidation trigger path and a fresh process's start; with --scenario postgres, the PostgreSQL "
                + "store"
        )
        {
            commands,
            seed,
            file,
            scenario,
            accounts,
            paths,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                if (parse.GetValue(scenario) == "postgres")
                {
                    var resolved = StoreLocation.Resolve(parse.GetValue(store));
                    if (resolved.Problem is { } error)
                        return Cli.Fail(error);
                    var location = resolved.Value;
                    if (!location.IsPostgres)
                        return Cli.Fail(
                            "--scenario postgres needs --store naming a PostgreSQL server (the bench creates and "
                                + "drops two scratch databases on it)"
                        );
                    return await PostgresBench
                        .RunAsync(
                            location.ConnectionString!,
                            Math.Max(parse.GetValue(commands), 10),
                            parse.GetValue(seed),
                            ct
                        )
                        .ConfigureAwait(false);
                }
                if (parse.GetValue(scenario) == "stress")
                    return parse.GetValue(accounts) < 1 ? Cli.Fail("--accounts must be at least 1")
                        : parse.GetValue(paths) is < 1 or > MonteCarloSpec.MaxPaths
                            ? Cli.Fail(
                                $"--paths takes 1 to {MonteCarloSpec.MaxPaths:N0} paths, not {parse.GetValue(paths)}"
                            )
                        : StressBench.Run(parse.GetValue(accounts), parse.GetValue(paths));
                if (parse.GetValue(scenario) == "start")
                    return parse.GetValue(file) is { } existing
                        ? await TriggerBench.FreshStartAsync(existing, ct).ConfigureAwait(false)
                        : Cli.Fail("--scenario start needs --file naming the SQLite log to open");
                if (parse.GetValue(scenario) == "trigger")
                    return parse.GetValue(accounts) < 1
                        ? Cli.Fail("--accounts must be at least 1")
                        : await TriggerBench
                            .RunAsync(parse.GetValue(accounts), parse.GetValue(file), ct)
                            .ConfigureAwait(false);
                var n = parse.GetValue(commands);
                if (n < 10)
                    return Cli.Fail("--commands must be at least 10");
                var lines = BenchWorkload.Lines(n, parse.GetValue(seed)).ToArray();
                Console.WriteLine(
                    $"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, "
                        + $"{RuntimeInformation.FrameworkDescription}; {lines.Length} commands"
                );

                // the runtime loop as a long-running writer runs it, warm: the first run in a process also pays the
                // JIT, tiered compilation's profiling and the heap's growth, so another seed's workload of the same
                // size runs first, and both are reported (the loop: decide, react, guard, fold)
                var (coldCommands, coldEvents, coldTime) = RuntimeLoop(
                    BenchWorkload.Lines(n, parse.GetValue(seed) + 1).ToArray()
                );
                Report("runtime loop in memory, cold", coldEvents, "events", coldTime);
                Console.WriteLine(PerCommand(coldCommands, coldTime));
                var (loopCommands, events, loopTime) = RuntimeLoop(lines);
                Report("runtime loop in memory, warm", events, "events", loopTime);
                Console.WriteLine(PerCommand(loopCommands, loopTime));
                var watch = new Stopwatch();

                // a writer runs warm: the first use of the pipeline in a process pays the JIT and the generation of
                // every schema, so it first applies another seed's 10 000 commands into a throwaway store
                await using (var warm = LedgerHost.Over(new InMemoryEventStore(), snapshots: SnapshotPolicy.Off))
                    await LineApplier
                        .RunAsync(
                            warm.Mediator,
                            new StringReader(string.Join('\n', BenchWorkload.Lines(10_000, parse.GetValue(seed) + 1))),
                            Discard,
                            ct
                        )
                        .ConfigureAwait(false);
                await using (var memory = LedgerHost.Over(new InMemoryEventStore()))
                {
                    watch.Restart();
                    // the printed JSON is built as apply builds it, then dropped
                    await LineApplier
                        .RunAsync(memory.Mediator, new StringReader(string.Join('\n', lines)), Discard, ct)
                        .ConfigureAwait(false);
                    Report("apply into the in-memory store (warm)", lines.Length, "commands", watch.Elapsed);
                }

                var path =
                    parse.GetValue(file)
                    ?? Path.Combine(Path.GetTempPath(), $"ledger-bench-{Environment.ProcessId}.db");
                var sqlite = TimeSpan.Zero;
                long before = 0;
                try
                {
                    if (File.Exists(path))
                        await using (var earlier = await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false))
                            before = await earlier.HeadAsync(ct).ConfigureAwait(false);
                    ApplySummary summary;
                    await using (
                        var host = LedgerHost.Over(await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false))
                    )
                    {
                        watch.Restart();
                        summary = await LineApplier
                            .RunAsync(host.Mediator, new StringReader(string.Join('\n', lines)), Discard, ct)
                            .ConfigureAwait(false);
                    }
                    // timed to the store's close: the writer's closing snapshot and the log's last checkpoint count
                    sqlite = watch.Elapsed;
                    Report("apply into SQLite (synchronous=FULL)", lines.Length, "commands", sqlite);
                    if (summary == ApplySummary.StoppedAtMalformed)
                        return Cli.Fail("the workload held a malformed line");
                    // twice, as a process starting on the file would and as one replaying again (the first also pays
                    // the JIT of the reading and decoding code, which a longer log spreads thinner)
                    var replay = TimeSpan.Zero;
                    foreach (var run in (string[])["cold", "warm"])
                        await using (var store = await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false))
                        {
                            watch.Restart();
                            var (_, appended) = await LedgerReplay.StateAtAsync(store, null, ct).ConfigureAwait(false);
                            replay = watch.Elapsed;
                            Report($"full replay from SQLite, {run}", appended, "events", replay);
                        }
                    // the physical limits of the same rows, in the same run
                    var (rows, read) = await PhysicalLimits.ReadAsync(path, ct).ConfigureAwait(false);
                    Report("raw read of the same rows", rows.Count, "rows", read);
                    Ratio("full replay, warm (read on a second thread)", replay, "the raw read (one thread)", read);
                    // a file of its own, never a name a user could have chosen
                    var raw = Path.Combine(Path.GetTempPath(), $"ledger-bench-raw-{Guid.NewGuid():N}.db");
                    try
                    {
                        // the rows this run's apply wrote (a --file may hold earlier ones)
                        var written = rows.Where(r => (long)r[0] > before).ToList();
                        var inserted = await PhysicalLimits.InsertAsync(written, raw, ct).ConfigureAwait(false);
                        Report("raw insert of the same rows, one commit", written.Count, "rows", inserted);
                        Ratio("apply into SQLite", sqlite, "the raw insert", inserted);
                        // the ceiling in the unit of the apply figure: no durable apply of these commands writes
                        // their events faster than the raw insert does, seals, stream heads and command records aside
                        var ceiling = lines.Length / inserted.TotalSeconds;
                        Console.WriteLine(
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"  the raw insert writes {ceiling:N0} commands' events/s: a durable apply's ceiling"
                            )
                        );
                    }
                    finally
                    {
                        SqliteEventStore.Delete(raw);
                    }
                    Console.WriteLine(Footer());
                }
                finally
                {
                    if (parse.GetValue(file) is null)
                        SqliteEventStore.Delete(path);
                }
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    private static Task Discard(LineResult result) => ApplyVerb.Print(TextWriter.Null, result);

    /// <summary>Decides, reacts to, guards and folds every command of <paramref name="lines"/> in memory, from the
    /// initial state; the lines are parsed before the clock starts.</summary>
    private static (int Commands, long Events, TimeSpan Elapsed) RuntimeLoop(string[] lines)
    {
        var parsed = lines.Select(CommandLineParser.Parse).Select(p => p.Command!).ToArray();
        var state = LedgerState.Initial;
        long events = 0;
        var watch = Stopwatch.StartNew();
        foreach (var c in parsed)
        {
            var ran = LedgerRuntime.Run(state, c);
            if (ran.Decision is Decision.Accepted accepted)
                events += accepted.Events.Length;
            state = ran.State;
        }
        return (parsed.Length, events, watch.Elapsed);
    }

    private static string PerCommand(int commands, TimeSpan elapsed) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"  that is {commands:N0} commands at {commands / elapsed.TotalSeconds:N0} commands/s"
        );

    /// <summary>How the ledger's figure compares with the physical limit of the same rows: both took the same rows,
    /// so the ratio of the times is the ratio of the rates.</summary>
    private static void Ratio(string ledger, TimeSpan ledgerTime, string limit, TimeSpan limitTime) =>
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  {ledger} runs at {limitTime.TotalSeconds / ledgerTime.TotalSeconds:F3} of {limit}'s rate"
            )
        );

    private static void Report(string what, long count, string unit, TimeSpan elapsed) =>
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{what,-38} {count,9} {unit} in {elapsed.TotalSeconds,8:F2} s = "
                    + $"{count / elapsed.TotalSeconds,10:N0} {unit}/s"
            )
        );

    /// <summary>The line every bench ends with: the peak working set and the commit of the build.</summary>
    internal static string Footer()
    {
        var build = Assembly
            .GetExecutingAssembly()
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB; build {build}"
        );
    }
}
