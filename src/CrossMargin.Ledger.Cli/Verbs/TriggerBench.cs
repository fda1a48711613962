using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger bench --scenario trigger</c>: BTCUSDT price updates against N accounts holding it. Every account holds
/// BTCUSDT (60 % long, 40 % short, 0.1 BTC at 60 000), every second one also ETHUSDT; one in 33 is a thin long (60
/// USDT). Measured: 0.1 % moves that cross no account's trigger (a venue's usual tick); a 5 % crash to 57 000 that
/// liquidates the thin longs (3 % of holders; the insurance fund covers their deficits, so no ADL), decided through
/// the runtime loop with the trigger index and with every holder scanned; the margin kernel alone over every
/// holder; and the crash end to end on SQLite after a replay (decide, cascade, serialize, validate, hash, one durable
/// append), with the first price after the replay, which builds the index, timed on its own.
/// </summary>
public static class TriggerBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static async Task<int> RunAsync(int accounts, string? file, CancellationToken ct)
    {
        Console.WriteLine(
            $"machine: {Environment.ProcessorCount} cores, "
                + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {accounts} accounts holding "
                + $"BTCUSDT"
        );
        var watch = Stopwatch.StartNew();
        var (unfunded, setup) = Setup(accounts);
        Console.WriteLine(Line("set-up decided in memory", setup.Count, "events", watch.Elapsed));
        var funding = Accepted(unfunded, new FundInsurance("USDT", 1_000_000m));
        var state = funding.State;
        setup.AddRange(Events(funding));

        // a venue's usual tick: 0.1 % moves back and forth, which cross nobody's trigger
        var ticks = 1_000;
        var ticking = state;
        watch.Restart();
        for (var n = 0; n < ticks; n++)
            ticking = Accepted(ticking, new UpdatePrice("BTCUSDT", n % 2 == 0 ? 59_940m : 60_000m)).State;
        var tick = watch.Elapsed;
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{"0.1 % mark move, nobody crosses (mean)",-38} {ticks,9} price updates, "
                    + $"{tick.TotalMilliseconds * 1_000 / ticks,9:F1} µs each"
            )
        );

        // a 5 % crash: the thin longs (one holder in 33) are liquidated, nobody else crosses
        var price = new UpdatePrice("BTCUSDT", 57_000m);
        var crash = Best(3, () => Accepted(state, price));
        var scan = Best(3, () => Accepted(state with { Triggers = TriggerIndex.FullScan }, price));
        if (!Events(crash.Result).Select(Describe).SequenceEqual(Events(scan.Result).Select(Describe)))
            throw new InvalidOperationException("the trigger index and the full scan decided the crash differently");
        var liquidations = Events(crash.Result).Count(e => e.Event is LiquidationTriggered);
        var evaluated = crash.Result.State.Triggers!.Evaluations - state.Triggers!.Evaluations;
        Console.WriteLine(
            Line("5 % crash, trigger index (best of 3)", evaluated, "accounts evaluated", crash.Elapsed)
                + $"; {liquidations} liquidations, {Events(crash.Result).Length} events"
        );
        Console.WriteLine(
            Line(
                "5 % crash, every holder scanned (best of 3)",
                state.HoldersOf(Symbol.Parse("BTCUSDT").Value).Count,
                "accounts evaluated",
                scan.Elapsed
            )
                + $"; {Events(scan.Result).Count(e => e.Event is LiquidationTriggered)} liquidations, "
                + $"{crash.Elapsed.TotalMilliseconds / scan.Elapsed.TotalMilliseconds:F3} of its time indexed"
        );
        // the same crash with an empty fund: every thin long's deficit is deleveraged against the shorts (40 % of
        // holders), ranked once per cascade and re-scored only where ADL touched them
        var adl = Best(3, () => Accepted(unfunded, price));
        Console.WriteLine(
            Line(
                "5 % crash, empty fund, ADL (best of 3)",
                Events(adl.Result).Count(e => e.Event is PositionAutoDeleveraged),
                "ADL fills",
                adl.Elapsed
            ) + $"; {Events(adl.Result).Count(e => e.Event is LiquidationTriggered)} liquidations"
        );
        if (accounts <= 10_000)
        {
            // every deficit slice ranking every opposite holder afresh, as before the ADL book: quadratic, so only on
            // small venues
            var rescan = Best(1, () => Accepted(unfunded with { Triggers = TriggerIndex.FullScan }, price));
            if (!Events(adl.Result).Select(Describe).SequenceEqual(Events(rescan.Result).Select(Describe)))
                throw new InvalidOperationException("the ADL book and a fresh ranking decided the crash differently");
            Console.WriteLine(
                Line("5 % crash, empty fund, ADL ranked afresh", accounts, "accounts", rescan.Elapsed)
                    + $"; {adl.Elapsed.TotalMilliseconds / rescan.Elapsed.TotalMilliseconds:F3} of its time "
                    + "with the book"
            );
        }
        var priceEvents = ((Decision.Accepted)LedgerDecider.Decide(price, state)).Events;
        var afterPrice = LedgerRuntime.Fold(state, priceEvents);

        // the kernel alone: every holder evaluated after the price, nothing liquidated (design §9)
        var btc = ((Events.MarkPriceUpdated)priceEvents[0].Event).Symbol;
        var holders = afterPrice.HoldersOf(btc).Select(afterPrice.Account).ToArray();
        var kernel = Best(
            5,
            () =>
            {
                var crossed = 0;
                foreach (var holder in holders)
                    if (MarginKernel.Evaluate(holder, afterPrice.Market).Liquidatable)
                        crossed++;
                return crossed;
            }
        );
        Console.WriteLine(
            Line("margin kernel over every holder (best of 5)", holders.Length, "accounts evaluated", kernel.Elapsed)
                + $"; {kernel.Result} liquidatable"
        );

        var path = file ?? Path.Combine(Path.GetTempPath(), $"ledger-trigger-{Environment.ProcessId}.db");
        try
        {
            await OnSqliteAsync(path, setup, price, accounts, liquidations, ct).ConfigureAwait(false);
            // a writer killed after the crash: its last snapshot is behind the head, so a restart replays the tail
            await FreshProcessAsync(path, "fresh process", ct).ConfigureAwait(false);
            // a writer shut down cleanly snapshots its head (design §9, "snapshots"): a restart replays nothing
            await ShutDownCleanlyAsync(path, ct).ConfigureAwait(false);
            await FreshProcessAsync(path, "after a clean shutdown", ct).ConfigureAwait(false);
        }
        finally
        {
            if (file is null)
                SqliteEventStore.Delete(path);
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The crash end to end on SQLite: the set-up bulk-loaded into <paramref name="path"/>, replayed, snapshotted, the
    /// first price (which builds the index), the crash; then a new session in this process, started from the snapshot
    /// as a fresh process starts, and its first price. The file is closed on return.
    /// </summary>
    private static async Task OnSqliteAsync(
        string path,
        List<Emitted> setup,
        UpdatePrice price,
        int accounts,
        int liquidations,
        CancellationToken ct
    )
    {
        var watch = new Stopwatch();
        await using var store = await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false);
        watch.Restart();
        await BulkLoadAsync(store, setup, ct).ConfigureAwait(false);
        Console.WriteLine(Line("set-up bulk-loaded into SQLite", setup.Count, "events", watch.Elapsed));
        // the engine builds the index at the first price here, as it did before writers built it beside them, so
        // these lines measure the build and the crash decided by the index; the fresh process below starts as a writer
        using var session = new LedgerSession(store, TimeProvider.System) { IndexInBackgroundFrom = int.MaxValue };
        watch.Restart();
        await session.CurrentAsync(ct).ConfigureAwait(false);
        Console.WriteLine(Line("session catch-up (full replay)", setup.Count, "events", watch.Elapsed));
        watch.Restart();
        await session.SnapshotNowAsync(ct).ConfigureAwait(false);
        Console.WriteLine(Line("snapshot of the replayed state written", accounts, "accounts", watch.Elapsed));
        // the first price after a replay builds the index (every account evaluated once)
        watch.Restart();
        await session
            .ExecuteAsync(new UpdatePrice("BTCUSDT", 59_940m), new CommandContext(CommandId: "bench-tick"), ct)
            .ConfigureAwait(false);
        Console.WriteLine(Line("first price after replay (builds index)", accounts, "accounts armed", watch.Elapsed));
        // the physical limit of the crash's append: the rows it writes, written raw into a copy of the file as it
        // stands now
        var before = await store.HeadAsync(ct).ConfigureAwait(false);
        var copy = $"{path}.limit-{Environment.ProcessId}";
        try
        {
            await PhysicalLimits.CopyAsync(path, copy, ct).ConfigureAwait(false);
            watch.Restart();
            var outcome = await session
                .ExecuteAsync(price, new CommandContext(CommandId: "bench-price"), ct)
                .ConfigureAwait(false);
            var crash = watch.Elapsed;
            var appended = outcome is CommandOutcome.Accepted a ? a.Events.Count : 0;
            Console.WriteLine(
                Line("5 % crash end to end on SQLite", appended, "events appended", crash)
                    + $"; {liquidations} liquidations in one transaction"
            );
            // a large venue's crash appends enough events for the session to start a snapshot in the background: it
            // is written before the raw insert runs beside it, and before the fresh process opens the file
            await session.CheckpointAsync(closing: false, ct).ConfigureAwait(false);
            var rows = await PhysicalLimits.ReadAppendedAsync(path, before, ct).ConfigureAwait(false);
            var raw = await PhysicalLimits.AppendAsync(rows, copy, ct).ConfigureAwait(false);
            Console.WriteLine(
                Line("raw insert of its rows into a copy of the file", rows.Events.Count, "events", raw)
                    + $"; with their {rows.Seals.Count} seals, {rows.Streams.Count} stream heads and "
                    + $"{rows.Commands.Count} command record"
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"  the crash end to end takes {crash / raw:F2}× the raw insert's time"
                )
            );
        }
        finally
        {
            SqliteEventStore.Delete(copy);
        }
        // a new session on the file, as a fresh process opens it: the snapshot, then the tail since it
        using var fresh = new LedgerSession(store, TimeProvider.System) { IndexInBackgroundFrom = int.MaxValue };
        watch.Restart();
        await fresh.CurrentAsync(ct).ConfigureAwait(false);
        var tail = await store.HeadAsync(ct).ConfigureAwait(false) - (fresh.SnapshotLoadedAt ?? 0);
        Console.WriteLine(
            Line("session start from the snapshot", tail, "tail events replayed", watch.Elapsed)
                + (fresh.SnapshotLoadedAt is { } at ? $"; snapshot at {at}" : $"; no snapshot: {fresh.SnapshotProblem}")
        );
        watch.Restart();
        await fresh
            .ExecuteAsync(new UpdatePrice("BTCUSDT", 56_990m), new CommandContext(CommandId: "bench-after"), ct)
            .ConfigureAwait(false);
        Console.WriteLine(
            Line("first price after the snapshot (builds index)", accounts, "accounts armed", watch.Elapsed)
        );
        // any snapshot the new session started is written before the store closes
        await fresh.CheckpointAsync(closing: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A fresh process on the file, timed from its launch: this program run as <c>bench --scenario start</c> (<see
    /// cref="FreshStartAsync"/>), which prints a line as each step ends. The times include starting the runtime and
    /// compiling the code, as a venue's restart pays them.
    /// </summary>
    private static async Task FreshProcessAsync(string path, string when, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("this process has no path to run");
        var launch = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        // run as `dotnet ledger.dll`, the host needs the program's own path first
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            launch.ArgumentList.Add(typeof(TriggerBench).Assembly.Location);
        foreach (var argument in (string[])["bench", "--scenario", "start", "--file", path])
            launch.ArgumentList.Add(argument);
        var watch = Stopwatch.StartNew();
        using var child = Process.Start(launch) ?? throw new InvalidOperationException($"{self} did not start");
        var (ready, decided) = (TimeSpan.Zero, TimeSpan.Zero);
        var (said, how) = ("", "");
        try
        {
            while (await child.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                if (line.StartsWith("ready ", StringComparison.Ordinal))
                    (ready, said) = (watch.Elapsed, line["ready ".Length..]);
                else if (line.StartsWith("decided ", StringComparison.Ordinal))
                    (decided, how) = (watch.Elapsed, line["decided ".Length..]);
            await child.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the caller deletes the file next: the child must not be left reading it
            child.Kill(entireProcessTree: true);
            throw;
        }
        var exited = watch.Elapsed;
        if (child.ExitCode != ExitCodes.Ok || ready == TimeSpan.Zero || decided == TimeSpan.Zero)
            throw new InvalidOperationException(
                $"the fresh process on {path} exited with {child.ExitCode} "
                    + (
                        ready == TimeSpan.Zero ? "before its state was at the head"
                        : decided == TimeSpan.Zero ? "before it decided a price"
                        : "after deciding its price"
                    )
                    + " (its error output is above)"
            );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{when + ": state at the head",-38} {ready.TotalMilliseconds,9:F1} ms from launch; {said}"
            )
        );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{when + ": first price decided",-38} {decided.TotalMilliseconds,9:F1} ms from launch; {how} "
                    + $"(its events' schemas checked); exited at {exited.TotalMilliseconds:F1} ms"
            )
        );
    }

    /// <summary>What a writer on <paramref name="path"/> does when it stops cleanly: catch up with the log and
    /// snapshot its head, so the next process to open the file replays nothing (a restart after a deployment, where
    /// the first fresh process is a restart after the writer was killed).</summary>
    private static async Task ShutDownCleanlyAsync(string path, CancellationToken ct)
    {
        await using var store = await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false);
        using var session = new LedgerSession(store, TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var at = await session.SnapshotNowAsync(ct).ConfigureAwait(false);
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{"clean shutdown: snapshot of the head",-38} {watch.Elapsed.TotalMilliseconds,9:F1} ms; at {at:N0}"
            )
        );
    }

    /// <summary>
    /// <c>ledger bench --scenario start --file F</c>, the trigger scenario's child: what a fresh process does before
    /// its first decision on F (open the store, load the latest snapshot, replay the tail: the state a writer's first
    /// turn decides on, its trigger index being built beside it), then a price update of the first priced instrument at
    /// its mark, decided by the runtime loop (by the index when it is ready, else by evaluating every exposed account)
    /// and its events written and checked against their schemas as an append would, but not appended: the file is
    /// opened read-only. It prints a line as each step ends.
    /// </summary>
    public static async Task<int> FreshStartAsync(string file, CancellationToken ct)
    {
        SqliteEventStore opened;
        try
        {
            // read-only: the scenario runs on any log, and a log it opens stays byte for byte as it was
            opened = await SqliteEventStore.OpenReadOnlyAsync(file, ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return Cli.Fail($"--scenario start: {e.Message}");
        }
        await using var store = opened;
        using var session = new LedgerSession(store, TimeProvider.System);
        // as a writer's first turn finds it: the trigger index is being built beside it, prices are decided by
        // evaluating every exposed account until it is ready
        var state = await session.DecidingStateAsync(ct).ConfigureAwait(false);
        var head = await store.HeadAsync(ct).ConfigureAwait(false);
        var from =
            session.SnapshotLoadedAt is { } at
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"{head - at:N0} tail events after the snapshot at {at:N0}"
                )
            : session.SnapshotProblem is { } problem ? $"no snapshot ({problem})"
            : "no snapshot";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready at event {head:N0}, {from}"));
        if (state.Market.Instruments.Values.FirstOrDefault(i => i.Mark is not null) is not { Mark: { } mark } priced)
            return Cli.Fail($"{file} has no priced instrument to update");
        var ran = LedgerRuntime.Run(state, new UpdatePrice(priced.Spec.Symbol.Value, mark));
        if (ran.Decision is Decision.Rejected { Rejection: var rejection })
            return Cli.Fail(
                $"the price update of {priced.Spec.Symbol} at {mark} on {file} was rejected: {rejection.Code}: "
                    + rejection.Message
            );
        var events = ((Decision.Accepted)ran.Decision).Events;
        EventSchemas.Validate([.. events.Select(e => NewEvent.Of(e.Stream, e.Event))]);
        var how = state.Triggers is { IsFullScan: true }
            ? "by evaluating every exposed account (the trigger index being built beside it)"
            : "by the trigger index";
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"decided {events.Length} {(events.Length == 1 ? "event" : "events")} {how}, not appended"
            )
        );
        return ExitCodes.Ok;
    }

    private static string Describe(Emitted e) => $"{e.Stream} {EventTypeRegistry.Serialize(e.Event)}";

    private static ImmutableArray<Emitted> Events(Transition ran) => ((Decision.Accepted)ran.Decision).Events;

    private static Transition Accepted(LedgerState state, LedgerCommand command)
    {
        var ran = LedgerRuntime.Run(state, command);
        return ran.Decision is Decision.Accepted
            ? ran
            : throw new InvalidOperationException($"bench command {command} was {ran.Decision}");
    }

    private static (T Result, TimeSpan Elapsed) Best<T>(int runs, Func<T> run)
    {
        var watch = new Stopwatch();
        var best = (Result: default(T)!, Elapsed: TimeSpan.MaxValue);
        for (var n = 0; n < runs; n++)
        {
            watch.Restart();
            var result = run();
            if (watch.Elapsed < best.Elapsed)
                best = (result, watch.Elapsed);
        }
        return best;
    }

    private static (LedgerState State, List<Emitted> Events) Setup(int accounts)
    {
        var state = LedgerState.Initial;
        var events = new List<Emitted>();
        void Do(LedgerCommand c)
        {
            var ran = LedgerRuntime.Run(state, c);
            if (ran.Decision is not Decision.Accepted accepted)
                throw new InvalidOperationException($"bench set-up command {c} was {ran.Decision}");
            events.AddRange(accepted.Events);
            state = ran.State;
        }
        Do(
            new ListInstrument(
                "BTCUSDT",
                "BTC",
                "USDT",
                [new(0m, 0.004m, 125m), new(50_000m, 0.005m, 100m)],
                0m,
                0.002m,
                0.001m,
                0.1m
            )
        );
        Do(new ListInstrument("ETHUSDT", "ETH", "USDT", [new(0m, 0.005m, 100m)], 0m, 0.002m, 0.01m, 0.01m));
        Do(new UpdatePrice("BTCUSDT", 60_000m));
        Do(new UpdatePrice("ETHUSDT", 3_000m));
        for (var i = 0; i < accounts; i++)
        {
            var id = "acct-" + i.ToString("D6", CultureInfo.InvariantCulture);
            var thin = i % 33 == 0;
            Do(new Deposit(id, "USDT", thin ? 60m : 2_000m));
            Do(new OpenPosition(id, "BTCUSDT", thin || i % 5 < 3 ? Side.Long : Side.Short, 0.1m, 60_000m));
            if (!thin && i % 2 == 0)
                Do(new OpenPosition(id, "ETHUSDT", i % 4 == 0 ? Side.Short : Side.Long, 1m, 3_000m));
        }
        return (state, events);
    }

    /// <summary>Appends the set-up in large batches (one request per 5 000 events, expected version "any").</summary>
    private static async Task BulkLoadAsync(SqliteEventStore store, List<Emitted> events, CancellationToken ct)
    {
        var metadata = new EventMetadata("", "bench", "bench", "bench", "2026-01-01T00:00:00.0000000Z");
        foreach (var (chunk, n) in events.Chunk(5_000).Select((c, n) => (c, n)))
        {
            var id = "bench-setup-" + n.ToString(CultureInfo.InvariantCulture);
            var batch = chunk
                .Select(e =>
                {
                    var (type, data) = EventTypeRegistry.Serialize(e.Event);
                    return new NewEvent(e.Stream, type, data);
                })
                .ToImmutableArray();
            await store
                .AppendAsync(
                    new AppendRequest(
                        metadata with
                        {
                            CommandId = id,
                        },
                        EventHash.Payload(id),
                        batch,
                        ImmutableDictionary<string, ExpectedVersion>.Empty
                    ),
                    ct
                )
                .ConfigureAwait(false);
        }
    }

    private static string Line(string what, long count, string unit, TimeSpan elapsed) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{what,-38} {count,9} {unit} in {elapsed.TotalMilliseconds,9:F1} ms = "
                + $"{count / elapsed.TotalSeconds,12:N0} {unit}/s"
        );
}
