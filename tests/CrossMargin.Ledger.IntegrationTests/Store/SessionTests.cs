using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>The command pipeline on real SQLite files: conflicts, retries, resends, reopening.</summary>
public sealed class SessionTests
{
    private TempDirectory directory = null!;
    private readonly FixedClock clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private static readonly LedgerCommand[] Setup =
    [
        new ListInstrument(
            "BTCUSDT",
            "BTC",
            "USDT",
            [new(0m, 0.004m, 125m), new(50_000m, 0.005m, 100m)],
            0.0004m,
            0.005m,
            0.001m,
            0.1m
        ),
        new UpdatePrice("BTCUSDT", 60_000m),
        new Deposit("alice", "USDT", 10_000m),
    ];

    /// <summary>Two sessions, each with its own connection to one file; A has folded the set-up.</summary>
    private sealed record Writers(SqliteEventStore StoreA, SqliteEventStore StoreB, LedgerSession A, LedgerSession B)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            A.Dispose();
            B.Dispose();
            await StoreA.DisposeAsync();
            await StoreB.DisposeAsync();
        }
    }

    private async Task<Writers> TwoWriters()
    {
        var path = directory.File("shared.db");
        var storeA = await SqliteEventStore.OpenAsync(path);
        var storeB = await SqliteEventStore.OpenAsync(path);
        var writers = new Writers(storeA, storeB, new LedgerSession(storeA, clock), new LedgerSession(storeB, clock));
        foreach (var c in Setup)
            await Run(writers.A, c);
        await writers.A.CurrentAsync();
        return writers;
    }

    private static async Task<CommandOutcome> Run(LedgerSession session, LedgerCommand command, string? id = null) =>
        await session.ExecuteAsync(command, new CommandContext(CommandId: id));

    [Test]
    public async Task Two_writers_on_one_file_conflict_and_the_loser_decides_again()
    {
        await using var writers = await TwoWriters();
        var (a, b, storeA) = (writers.A, writers.B, writers.StoreA); // A has folded alice at balance 10 000 (version 1)
        await Run(b, new Deposit("alice", "USDT", 5m)); // B moves account-alice to version 2
        // A's first append conflicts; its retry sees 10 005
        var outcome = await Run(a, new Withdraw("alice", "USDT", 10_005m));
        var stored = ((CommandOutcome.Accepted)outcome).Events.Single();
        Assert.That(stored.StreamVersion, Is.EqualTo(3));
        Assert.That(stored.Data, Does.Contain("\"balanceAfter\":\"0\""));
    }

    [Test]
    public async Task A_stale_writer_that_would_break_a_rule_is_rejected_after_catching_up()
    {
        await using var writers = await TwoWriters();
        var (a, b, storeA) = (writers.A, writers.B, writers.StoreA);
        await Run(b, new Withdraw("alice", "USDT", 9_000m));
        var outcome = await Run(a, new Withdraw("alice", "USDT", 2_000m));
        Assert.That(outcome, Is.TypeOf<CommandOutcome.Rejected>());
        Assert.That(((CommandOutcome.Rejected)outcome).Rejection.Code, Is.EqualTo(RejectionCode.InsufficientBalance));
        Assert.That(await storeA.HeadAsync(), Is.EqualTo(4));
    }

    [Test]
    public async Task A_resent_command_id_is_answered_from_the_log_even_when_state_moved_on()
    {
        await using var store = await SqliteEventStore.OpenAsync(directory.File("resend.db"));
        using var session = new LedgerSession(store, clock);
        foreach (var c in Setup)
            await Run(session, c);
        var first = (CommandOutcome.Accepted)await Run(session, new Withdraw("alice", "USDT", 10_000m), "w-1");
        // deciding again would be rejected (balance 0); the resend must get the first result instead
        var again = (CommandOutcome.Accepted)await Run(session, new Withdraw("alice", "USDT", 10_000m), "w-1");
        Assert.That(again.Duplicate, Is.True);
        Assert.That(again.Events, Is.EqualTo(first.Events));
        Assert.That(await store.HeadAsync(), Is.EqualTo(4));
        Assert.ThrowsAsync<IdempotencyConflictException>(() => Run(session, new Withdraw("alice", "USDT", 1m), "w-1"));
    }

    [Test]
    public async Task A_multi_event_command_lands_whole()
    {
        await using var store = await SqliteEventStore.OpenAsync(directory.File("atomic.db"));
        using var session = new LedgerSession(store, clock);
        foreach (var c in Setup)
            await Run(session, c);
        var fill = (CommandOutcome.Accepted)
            await Run(session, new OpenPosition("alice", "BTCUSDT", Side.Long, 0.5m, 60_000m));
        Assert.That(
            fill.Events.Select(e => (e.Stream, e.Type)),
            Is.EqualTo(new[] { ("account-alice", "trade-filled.v1"), ("fee-account", "trading-fee-collected.v1") })
        );
        Assert.That(fill.Events.Select(e => e.Metadata.CommandId).Distinct().Count(), Is.EqualTo(1));
        Assert.That(fill.Events[0].Metadata.RecordedAt, Is.EqualTo("2026-03-01T12:00:00.0000000Z"));
    }

    /// <summary>A clock that moves one millisecond each time it is read.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public override DateTimeOffset GetUtcNow() => now = now.AddMilliseconds(1);
    }

    /// <summary>The 48-bit Unix milliseconds a version-7 UUID leads with, read from its text.</summary>
    private static long Stamp(Guid id) => Convert.ToInt64(id.ToString("N")[..12], 16);

    /// <summary>The log a session on <paramref name="clock"/> writes for the set-up and <paramref name="commands"/>,
    /// none with an id, then <paramref name="sent"/> with the id <c>ops-1</c>.</summary>
    private async Task<List<StoredEvent>> LogOf(
        string file,
        TimeProvider clock,
        IEnumerable<LedgerCommand> commands,
        LedgerCommand? sent
    )
    {
        await using var store = await SqliteEventStore.OpenAsync(directory.File(file));
        using var session = new LedgerSession(store, clock);
        foreach (var c in Setup.Concat(commands))
            await Run(session, c);
        if (sent is not null)
            await Run(session, sent, id: "ops-1");
        var events = new List<StoredEvent>();
        await foreach (var e in store.ReadAllAsync())
            events.Add(e);
        return events;
    }

    [Test]
    public async Task Generated_command_ids_are_version_7_stamped_with_the_session_clock_in_log_order()
    {
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        LedgerCommand[] deposits = [.. Enumerable.Range(1, 40).Select(i => new Deposit($"a{i}", "USDT", i))];
        var events = await LogOf("ids.db", new SteppingClock(start), deposits, new Deposit("sent", "USDT", 1m));
        var generated = events.Select(e => e.Metadata.CommandId).Where(id => id != "ops-1").ToList();
        Assert.That(generated, Has.Count.EqualTo(43));
        var ids = generated.Select(Guid.Parse).ToList();
        Assert.That(ids.Select(g => g.Version), Is.All.EqualTo(7));
        // each stamped with the time the session read for its command, so they sort in the order of the log
        var stamps = ids.Select(Stamp).ToList();
        Assert.That(stamps[0], Is.GreaterThan(start.ToUnixTimeMilliseconds()));
        Assert.That(stamps[^1] - stamps[0], Is.LessThan(100));
        Assert.That(stamps, Is.Ordered.Ascending);
        Assert.That(generated, Is.Ordered.Ascending.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(events.Last().Metadata.CommandId, Is.EqualTo("ops-1"));
    }

    [Test]
    public async Task A_clock_before_1970_still_gets_distinct_generated_ids()
    {
        var before = new DateTimeOffset(1969, 12, 31, 23, 0, 0, TimeSpan.Zero);
        var events = await LogOf("old-clock.db", new FixedClock(before), [new Deposit("alice", "USDT", 1m)], null);
        var ids = events.Select(e => e.Metadata.CommandId).ToList();
        Assert.That(ids, Has.Count.EqualTo(4));
        Assert.That(ids, Is.Unique);
        // stamped at the epoch, the earliest a version-7 UUID can say
        Assert.That(ids.Select(id => Stamp(Guid.Parse(id))), Is.All.EqualTo(0));
    }

    [Test]
    public async Task Reopening_the_file_and_replaying_gives_the_same_state()
    {
        var path = directory.File("reopen.db");
        string before;
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            using var session = new LedgerSession(store, clock);
            foreach (var c in Setup)
                await Run(session, c);
            await Run(session, new OpenPosition("alice", "BTCUSDT", Side.Short, 0.7m, 60_000m));
            await Run(session, new UpdatePrice("BTCUSDT", 61_234.5m));
            await Run(session, new ClosePosition("alice", "BTCUSDT", 61_000m, 0.2m));
            before = Text(await session.CurrentAsync());
        }
        await using (var reopened = await SqliteEventStore.OpenAsync(path))
        {
            var (state, position) = await LedgerReplay.StateAtAsync(reopened);
            Assert.That(position, Is.EqualTo(8)); // 3 set-up events, fill + fee, mark, fill + fee
            Assert.That(Text(state), Is.EqualTo(before));
            Assert.That(Invariants.Violations(state), Is.Empty);
        }
    }

    /// <summary>
    /// A writer that builds its trigger index on another thread decides by full scan until it is ready, then carries
    /// it brought up to date (design §9): the build held back through a crash with liquidations, the writer appends
    /// the log a writer whose engine builds the index at the first price appends, before and after the index arrives,
    /// and the index it carries calls exactly the kernel's accounts liquidatable.
    /// </summary>
    [Test]
    public async Task A_writer_building_its_index_in_the_background_writes_the_same_log()
    {
        const string Late = "late-short";
        var venue = new List<LedgerCommand>(Setup) { new FundInsurance("USDT", 5_000m) };
        for (var i = 0; i < 60; i++)
        {
            var id = $"trader-{i:D2}";
            venue.Add(new Deposit(id, "USDT", 300m + 40m * i));
            venue.Add(new SetLeverage(id, "BTCUSDT", 50 + i % 50));
            venue.Add(new OpenPosition(id, "BTCUSDT", i % 3 == 0 ? Side.Short : Side.Long, 0.1m + 0.01m * i, 60_000m));
        }
        decimal[] crash = [59_950m, 59_100m, 57_400m, 55_000m, 55_050m];
        decimal[] after = [61_300m, 64_800m, 66_000m, 52_000m, 51_990m];
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<(List<(string, string, string)> Log, int ByScan, int Liquidated, LedgerState Last)> Write(
            string file,
            int from
        )
        {
            var path = directory.File(file);
            await using (var store = await SqliteEventStore.OpenAsync(path))
            {
                using var setUp = new LedgerSession(store, clock);
                foreach (var c in venue)
                    await Run(setUp, c);
            }
            await using var reopened = await SqliteEventStore.OpenAsync(path);
            using var session = new LedgerSession(reopened, clock)
            {
                IndexInBackgroundFrom = from,
                // the build waits for the test: every price of the crash is decided while it runs
                IndexBuilder = state =>
                {
                    release.Task.Wait(TimeSpan.FromMinutes(1));
                    return TriggerIndex.Build(state);
                },
            };
            var byScan = 0;
            var liquidated = 0;
            try
            {
                var before = await reopened.HeadAsync();
                foreach (var mark in crash)
                {
                    byScan += (await session.DecidingStateAsync()).Triggers is { IsFullScan: true } ? 1 : 0;
                    await Run(session, new UpdatePrice("BTCUSDT", mark));
                }
                await foreach (var e in reopened.ReadAllAsync())
                    if (
                        e.GlobalPosition > before
                        && e.Type.StartsWith("liquidation-triggered", StringComparison.Ordinal)
                    )
                        liquidated++;
                // a short opened at the bottom at 100× is liquidatable at 61 300: an index built before it holds no
                // trigger of it, so only an index caught up with the state arms it in time for that price
                foreach (
                    var c in (LedgerCommand[])
                        [
                            new Deposit(Late, "USDT", 300m),
                            new SetLeverage(Late, "BTCUSDT", 100m),
                            new OpenPosition(Late, "BTCUSDT", Side.Short, 0.4m, 55_050m),
                        ]
                )
                    Assert.That(await Run(session, c), Is.InstanceOf<CommandOutcome.Accepted>(), c.ToString());
            }
            finally
            {
                release.TrySetResult();
            }
            var last = await session.DecidingStateAsync();
            for (var wait = 0; last.Triggers is { IsFullScan: true } && wait < 200; wait++)
            {
                await Task.Delay(50);
                last = await session.DecidingStateAsync();
            }
            foreach (var mark in after)
                await Run(session, new UpdatePrice("BTCUSDT", mark));
            var log = new List<(string, string, string)>();
            await foreach (var e in reopened.ReadAllAsync())
                log.Add((e.Stream, e.Type, e.Data));
            return (log, byScan, liquidated, last);
        }

        var background = await Write("background.db", from: 0);
        var engine = await Write("engine.db", from: int.MaxValue);
        var index = background.Last.Triggers;
        var liquidatable = background
            .Last.Accounts.Values.Where(a => MarginKernel.Evaluate(a, background.Last.Market).Liquidatable)
            .Select(a => a.Id);
        Assert.Multiple(() =>
        {
            Assert.That(background.ByScan, Is.EqualTo(crash.Length), "every price of the crash decided by full scan");
            Assert.That(engine.ByScan, Is.Zero);
            Assert.That(background.Liquidated, Is.GreaterThan(5), "liquidations decided by full scan");
            Assert.That(index, Is.Not.Null.And.Property("IsFullScan").False);
            Assert.That(index!.Liquidatable, Is.EquivalentTo(liquidatable));
            Assert.That(
                background.Log.Count(e =>
                    e.Item1 == "account-" + Late
                    && e.Item2.StartsWith("liquidation-triggered", StringComparison.Ordinal)
                ),
                Is.EqualTo(1),
                "the late short liquidated"
            );
            Assert.That(background.Log, Is.EqualTo(engine.Log));
        });

    }

    private static string Text(LedgerState state) =>
        EventStore.Json.LedgerJson.Serialize(
            state
                .Accounts.Values.Select(a => Margin.MarginCalculator.Compute(a, state.Market))
                .Append<object>(state.FeeAccount)
                .Append(state.Flows)
        );
}
