using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger bench --scenario trigger</c>: one BTCUSDT price update against N accounts holding it. Every
/// account holds BTCUSDT (60 % long, 40 % short, 0.1 BTC at 60 000), every second one also ETHUSDT; one
/// in 33 is a thin long (60 USDT) that the update from 60 000 to 59 500 makes liquidatable with
/// positive equity (so the insurance fund is not drawn and ADL ranking, which scans the opposite side,
/// is not needed). Measured: the engine's cascade in memory, the margin kernel alone over every holder, and the
/// whole price command end to end on SQLite (decide, cascade, serialize, validate, hash, one durable append).
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
        var (state, setup) = Setup(accounts);
        Console.WriteLine(Line("set-up decided in memory", setup.Count, "events", watch.Elapsed));

        var price = new UpdatePrice("BTCUSDT", 59_500m);
        // the price event alone (its cascade is what is timed below)
        var priceEvents = ((Decision.Accepted)LedgerDecider.Decide(price, state)).Events;
        var afterPrice = LedgerRuntime.Fold(state, priceEvents);
        var trigger = LiquidationEngine.TriggerOf(priceEvents[0].Event, afterPrice)!;
        CascadeResult cascade = null!;
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            watch.Restart();
            cascade = LiquidationEngine.Cascade(afterPrice, trigger);
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }
        var liquidations = cascade.Events.Count(e => e.Event is LiquidationTriggered);
        Console.WriteLine(
            Line("cascade in memory (best of 3)", cascade.AccountsEvaluated, "accounts evaluated", best)
                + $"; {liquidations} liquidations, {cascade.Events.Length} events"
        );

        // the kernel alone: every holder evaluated after the price, nothing liquidated (design §9)
        var btc = ((Events.MarkPriceUpdated)priceEvents[0].Event).Symbol;
        var holders = afterPrice.HoldersOf(btc).Select(afterPrice.Account).ToArray();
        var crossed = 0;
        best = TimeSpan.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            watch.Restart();
            crossed = 0;
            foreach (var holder in holders)
                if (MarginKernel.Evaluate(holder, afterPrice.Market).Liquidatable)
                    crossed++;
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }
        Console.WriteLine(
            Line("margin kernel over every holder (best of 5)", holders.Length, "accounts evaluated", best)
                + $"; {crossed} liquidatable"
        );

        var path = file ?? Path.Combine(Path.GetTempPath(), $"ledger-trigger-{Environment.ProcessId}.db");
        try
        {
            await using var store = await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false);
            watch.Restart();
            await BulkLoadAsync(store, setup, ct).ConfigureAwait(false);
            Console.WriteLine(Line("set-up bulk-loaded into SQLite", setup.Count, "events", watch.Elapsed));
            using var session = new LedgerSession(store, TimeProvider.System);
            watch.Restart();
            await session.CurrentAsync(ct).ConfigureAwait(false);
            Console.WriteLine(Line("session catch-up (full replay)", setup.Count, "events", watch.Elapsed));
            watch.Restart();
            var outcome = await session
                .ExecuteAsync(price, new CommandContext(CommandId: "bench-price"), ct)
                .ConfigureAwait(false);
            var appended = outcome is CommandOutcome.Accepted a ? a.Events.Count : 0;
            Console.WriteLine(
                Line("price command end to end on SQLite", accounts, "accounts evaluated", watch.Elapsed)
                    + $"; {appended} events appended in one transaction"
            );
        }
        finally
        {
            if (file is null)
                SqliteEventStore.Delete(path);
        }
        return ExitCodes.Ok;
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
        Do(new FundInsurance("USDT", 1_000_000m));
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
