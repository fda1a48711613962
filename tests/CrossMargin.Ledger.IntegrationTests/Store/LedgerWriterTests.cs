using System.Collections.Concurrent;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>
/// The single writer on a real SQLite file: many submitters share commits, a commit never carries more than the batch
/// size, each submission is answered with its own outcome only after its commit, a sequence stops at its first
/// failure, and a command withdrawn before it was taken never reaches the log.
/// </summary>
public sealed class LedgerWriterTests
{
    /// <summary>A real store that counts the commands each committed turn carried, and can hold a turn at its
    /// start or fail its commit.</summary>
    private sealed class Watched(IEventStore inner) : DelegatingStore(inner)
    {
        public ConcurrentQueue<int> Commits { get; } = new();

        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource TurnStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailCommits { get; set; }

        public override async Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default)
        {
            TurnStarted.TrySetResult();
            if (Hold is { } hold)
                await hold.Task;
            return await base.BeginWriteAsync(cancellationToken);
        }

        protected override IWriteTurn Wrap(IWriteTurn turn) => new Turn(this, turn);

        private sealed class Turn(Watched owner, IWriteTurn inner) : DelegatingTurn(inner)
        {
            private int commands;

            public override Task<IReadOnlyList<AppendResult>> AppendAsync(
                IReadOnlyList<AppendRequest> requests,
                CancellationToken cancellationToken = default
            )
            {
                commands += requests.Count;
                return base.AppendAsync(requests, cancellationToken);
            }

            public override Task RecordRejectionAsync(
                CommandRejection rejection,
                CancellationToken cancellationToken = default
            )
            {
                commands++;
                return base.RecordRejectionAsync(rejection, cancellationToken);
            }

            public override async Task CommitAsync(CancellationToken cancellationToken = default)
            {
                if (owner.FailCommits)
                    throw new IOException("the disk went away");
                await base.CommitAsync(cancellationToken);
                owner.Commits.Enqueue(commands);
            }
        }
    }

    private static Deposit Deposit(int submitter, int n) => new($"s{submitter}-{n % 7}", "USDT", n + 1);

    [Test]
    public async Task Eight_submitters_share_commits_and_each_gets_its_own_outcome_in_its_own_order()
    {
        using var directory = new TempDirectory();
        await using var store = new Watched(await SqliteEventStore.OpenAsync(directory.File("writer.db")));
        using var session = new LedgerSession(store, new FixedClock(DateTimeOffset.UnixEpoch));
        var writer = new LedgerWriter(session, new WriterOptions(64, TimeSpan.FromMilliseconds(2)));
        const int Submitters = 8,
            Each = 400;
        var outcomes = await Task.WhenAll(
            Enumerable
                .Range(0, Submitters)
                .Select(s =>
                    Task.Run(async () =>
                    {
                        // flights of 25 submissions at once: the queue holds more than a batch
                        var mine = new List<CommandOutcome>();
                        for (var n = 0; n < Each; n += 25)
                            mine.AddRange(
                                await Task.WhenAll(
                                    Enumerable
                                        .Range(n, 25)
                                        .Select(k => writer.SubmitAsync(Deposit(s, k), new CommandContext($"s{s}-{k}")))
                                )
                            );
                        return mine;
                    })
                )
        );
        await writer.DisposeAsync();

        // every submission was answered with its own deposit, committed, in the order it was submitted
        for (var s = 0; s < Submitters; s++)
        {
            var accepted = outcomes[s].Cast<CommandOutcome.Accepted>().ToList();
            Assert.That(
                accepted.Select(a => a.Events.Single().Metadata.CommandId),
                Is.EqualTo(Enumerable.Range(0, Each).Select(n => $"s{s}-{n}"))
            );
            Assert.That(accepted.Select(a => a.Events[0].GlobalPosition), Is.Ordered.Ascending);
        }
        Assert.That(await store.HeadAsync(), Is.EqualTo(Submitters * Each));
        Assert.That(store.Commits.Sum(), Is.EqualTo(Submitters * Each));
        Assert.That(store.Commits, Has.All.InRange(1, 64), "no commit carries more than the batch size");
        Assert.That(store.Commits, Has.Some.EqualTo(64), "the queue held more than a batch at times");
        Assert.That(store.Commits.Count, Is.LessThan(Submitters * Each / 10), "submitters shared commits");
        Assert.That((await ChainVerifier.VerifyAsync(store)).Intact, Is.True);
    }

    /// <summary>
    /// While one batch is stored the writer decides the next on the state that batch leaves (design §9). The log it
    /// writes is the log a session deciding one command per turn writes: the bench's workload (orders, mark moves
    /// that liquidate, deposits) with an id on every command, submitted all at once in batches of 64.
    /// </summary>
    [Test]
    public async Task A_writer_deciding_ahead_writes_the_log_one_command_per_turn_writes()
    {
        using var directory = new TempDirectory();
        var clock = new FixedClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var commands = CrossMargin
            .Ledger.Cli.Verbs.BenchWorkload.Lines(3_000, seed: 5)
            .Select(
                (line, i) =>
                    CommandLineParser.Parse(line) is { Command: { } c } parsed
                        ? (c, parsed.Context with { CommandId = $"w-{i}" })
                        : throw new InvalidOperationException(line)
            )
            .ToList();

        var serialOutcomes = new List<CommandOutcome>();
        await using (var store = await SqliteEventStore.OpenAsync(directory.File("serial.db")))
        {
            using var session = new LedgerSession(store, clock);
            foreach (var (command, context) in commands)
                serialOutcomes.Add(await session.ExecuteAsync(command, context));
            Assert.That(session.GroupsDecidedAhead, Is.Zero, "a session on its own never decides ahead");
        }
        IReadOnlyList<CommandOutcome> pipelined;
        await using (var store = new Watched(await SqliteEventStore.OpenAsync(directory.File("pipelined.db"))))
        {
            using var session = new LedgerSession(store, clock);
            var writer = new LedgerWriter(session, new WriterOptions(64, TimeSpan.FromMilliseconds(2)));
            var sequence = new WriteSequence();
            pipelined = await Task.WhenAll(commands.Select(c => writer.SubmitAsync(c.Item1, c.Item2, sequence)));
            await writer.DisposeAsync();
            Assert.That(store.Commits.Count, Is.LessThan(3_000 / 8), "the commands shared commits");
            Assert.That(store.Commits, Has.Some.EqualTo(64), "full batches were at hand");
            Assert.That(session.GroupsDecidedAhead, Is.GreaterThan(3_000 / 64 / 2), "most batches were decided ahead");
        }

        Assert.That(Summary(pipelined), Is.EqualTo(Summary(serialOutcomes)));
        Assert.That(
            pipelined.OfType<CommandOutcome.Accepted>().Sum(a => a.Events.Count),
            Is.GreaterThan(3_000),
            "the workload's mark moves liquidated"
        );
        Assert.That(await Log(directory.File("pipelined.db")), Is.EqualTo(await Log(directory.File("serial.db"))));

        static List<string> Summary(IEnumerable<CommandOutcome> outcomes) =>
            [
                .. outcomes.Select(o =>
                    o switch
                    {
                        CommandOutcome.Accepted a =>
                            $"accepted {string.Join(",", a.Events.Select(e => $"{e.GlobalPosition}:{e.Hash.Hex}"))}",
                        CommandOutcome.Rejected r => $"rejected {r.Rejection.Code}: {r.Rejection.Message}",
                        _ => "?",
                    }
                ),
            ];
    }

    private static async Task<List<string>> Log(string file)
    {
        await using var store = await SqliteEventStore.OpenAsync(file);
        var rows = new List<string>();
        await foreach (var e in store.ReadAllAsync())
            rows.Add($"{e.GlobalPosition} {e.Stream} {e.StreamVersion} {e.Type} {e.Data} {e.Hash.Hex}");
        return rows;
    }

    private static readonly LedgerCommand[] Listing =
    [
        new ListInstrument("BTCUSDT", "BTC", "USDT", [new(0m, 0.004m, 125m)], 0.0004m, 0.005m, 0.001m, 0.1m),
        new UpdatePrice("BTCUSDT", 60_000m),
        new Deposit("alice", "USDT", 100m),
    ];

    /// <summary>A writer on one connection to a file, its set-up (<see cref="Listing"/>) committed through it, and a
    /// session on another connection to the same file.</summary>
    private sealed record TwoWriters(
        SqliteEventStore StoreA,
        SqliteEventStore StoreB,
        LedgerSession SessionA,
        LedgerSession SessionB,
        LedgerWriter Writer
    ) : IAsyncDisposable
    {
        public static async Task<TwoWriters> Open(string path)
        {
            var clock = new FixedClock(DateTimeOffset.UnixEpoch);
            var storeA = await SqliteEventStore.OpenAsync(path);
            var storeB = await SqliteEventStore.OpenAsync(path);
            var sessionA = new LedgerSession(storeA, clock);
            var two = new TwoWriters(
                storeA,
                storeB,
                sessionA,
                new LedgerSession(storeB, clock),
                new LedgerWriter(sessionA, WriterOptions.Default)
            );
            foreach (var command in Listing)
                Assert.That(
                    await two.Writer.SubmitAsync(command, new CommandContext()),
                    Is.TypeOf<CommandOutcome.Accepted>()
                );
            return two;
        }

        public async ValueTask DisposeAsync()
        {
            await Writer.DisposeAsync();
            SessionA.Dispose();
            SessionB.Dispose();
            await StoreA.DisposeAsync();
            await StoreB.DisposeAsync();
        }
    }

    /// <summary>
    /// A batch decided ahead on the writer's state is decided again when another writer of the file appended before
    /// its turn: the withdrawal below is only covered by the other writer's deposit.
    /// </summary>
    [Test]
    public async Task A_batch_decided_ahead_is_decided_again_after_another_writer_appended()
    {
        using var directory = new TempDirectory();
        await using var two = await TwoWriters.Open(directory.File("two.db"));
        var (storeA, sessionA, sessionB, writer) = (two.StoreA, two.SessionA, two.SessionB, two.Writer);

        var decidedAhead = sessionA.GroupsDecidedAhead;
        Assert.That(decidedAhead, Is.Positive, "the set-up's later commands were decided ahead and used");

        await sessionB.ExecuteAsync(new Deposit("alice", "USDT", 50m), new CommandContext("other-1"));
        var withdrawal = await writer.SubmitAsync(new Withdraw("alice", "USDT", 150m), new CommandContext("w-1"));
        await writer.DisposeAsync();
        Assert.That(sessionA.GroupsDecidedAhead, Is.EqualTo(decidedAhead), "the withdrawal was decided again");

        var accepted = (CommandOutcome.Accepted)withdrawal;
        Assert.That(accepted.Events.Single().Data, Does.Contain("\"balanceAfter\":\"0\""));
        Assert.That(accepted.Events.Single().StreamVersion, Is.EqualTo(3));
        Assert.That((await ChainVerifier.VerifyAsync(storeA)).Intact, Is.True);
    }

    /// <summary>…and answered from the record when another writer recorded its command id first.</summary>
    [Test]
    public async Task A_batch_decided_ahead_answers_an_id_another_writer_recorded_meanwhile()
    {
        using var directory = new TempDirectory();
        await using var two = await TwoWriters.Open(directory.File("two.db"));
        var (storeA, sessionA, sessionB, writer) = (two.StoreA, two.SessionA, two.SessionB, two.Writer);

        var first = await sessionB.ExecuteAsync(new Deposit("alice", "USDT", 5m), new CommandContext("dep-7"));
        var refused = await sessionB.ExecuteAsync(new Withdraw("alice", "USDT", 500m), new CommandContext("wd-7"));
        var decidedAhead = sessionA.GroupsDecidedAhead;
        var resent = await writer.SubmitAsync(new Deposit("alice", "USDT", 5m), new CommandContext("dep-7"));
        Assert.That(sessionA.GroupsDecidedAhead, Is.EqualTo(decidedAhead), "the resend was decided again");
        // now covered (1 000 in), but answered as it was first decided: refused
        await writer.SubmitAsync(new Deposit("alice", "USDT", 1_000m), new CommandContext("dep-8"));
        // nothing else appended since the writer's last commit: only the recorded id sends it back to be decided
        decidedAhead = sessionA.GroupsDecidedAhead;
        var refusedAgain = await writer.SubmitAsync(new Withdraw("alice", "USDT", 500m), new CommandContext("wd-7"));
        Assert.That(sessionA.GroupsDecidedAhead, Is.EqualTo(decidedAhead), "the resend was decided again");
        await writer.DisposeAsync();

        Assert.That(resent, Is.TypeOf<CommandOutcome.Accepted>());
        Assert.That(((CommandOutcome.Accepted)resent).Duplicate, Is.True);
        Assert.That(
            ((CommandOutcome.Accepted)resent).Events.Select(e => e.Hash),
            Is.EqualTo(((CommandOutcome.Accepted)first).Events.Select(e => e.Hash))
        );
        Assert.That(refused, Is.TypeOf<CommandOutcome.Rejected>());
        Assert.That(refusedAgain, Is.TypeOf<CommandOutcome.Rejected>());
        Assert.That(((CommandOutcome.Rejected)refusedAgain).Duplicate, Is.True);
        Assert.That(await storeA.HeadAsync(), Is.EqualTo(5), "the three set-up events and two deposits");
        Assert.That((await ChainVerifier.VerifyAsync(storeA)).Intact, Is.True);
    }

    [Test]
    public async Task A_sequence_stops_at_a_reused_id_and_nothing_after_it_runs()
    {
        using var directory = new TempDirectory();
        await using var store = await SqliteEventStore.OpenAsync(directory.File("sequence.db"));
        using var session = new LedgerSession(store, new FixedClock(DateTimeOffset.UnixEpoch));
        await using var writer = new LedgerWriter(session, new WriterOptions(100, TimeSpan.FromMilliseconds(50)));
        var sequence = new WriteSequence();
        var first = writer.SubmitAsync(new Deposit("a", "USDT", 1), new CommandContext("x"), sequence);
        var reused = writer.SubmitAsync(new Deposit("a", "USDT", 2), new CommandContext("x"), sequence);
        var after = writer.SubmitAsync(new Deposit("b", "USDT", 3), new CommandContext("y"), sequence);
        var other = writer.SubmitAsync(new Deposit("c", "USDT", 4), new CommandContext("z"));

        Assert.That(await first, Is.TypeOf<CommandOutcome.Accepted>());
        Assert.That(async () => await reused, Throws.TypeOf<IdempotencyConflictException>());
        Assert.That(async () => await after, Throws.TypeOf<SkippedAfterFailureException>());
        Assert.That(await other, Is.TypeOf<CommandOutcome.Accepted>(), "another submitter goes on");
        Assert.That(
            (await store.ReadAllAsync().ToListAsync()).Select(e => e.Metadata.CommandId),
            Is.EqualTo(new[] { "x", "z" })
        );
        Assert.That(
            async () => await writer.SubmitAsync(new Deposit("d", "USDT", 5), new CommandContext("w"), sequence),
            Throws.TypeOf<SkippedAfterFailureException>(),
            "a stopped sequence stays stopped"
        );
    }

    [Test]
    public async Task A_command_refused_before_it_is_queued_stops_its_sequence_too()
    {
        using var directory = new TempDirectory();
        await using var store = await SqliteEventStore.OpenAsync(directory.File("refused.db"));
        using var session = new LedgerSession(store, new FixedClock(DateTimeOffset.UnixEpoch));
        await using var writer = new LedgerWriter(session, new WriterOptions(100, TimeSpan.FromMilliseconds(50)));
        var sequence = new WriteSequence();
        var before = writer.SubmitAsync(new Deposit("a", "USDT", 1), new CommandContext("ok"), sequence);
        var refused = writer.SubmitAsync(new Deposit("b", "USDT", 2), new CommandContext(""), sequence);
        var after = writer.SubmitAsync(new Deposit("c", "USDT", 3), new CommandContext("later"), sequence);
        Assert.That(await before, Is.TypeOf<CommandOutcome.Accepted>());
        Assert.That(async () => await refused, Throws.TypeOf<ArgumentException>().With.Message.StartsWith("commandId"));
        Assert.That(async () => await after, Throws.TypeOf<SkippedAfterFailureException>());
        Assert.That(
            (await store.ReadAllAsync().ToListAsync()).Select(e => e.Metadata.CommandId),
            Is.EqualTo(new[] { "ok" })
        );
    }

    [Test]
    public async Task A_failed_commit_acknowledges_nothing_and_a_withdrawn_command_never_runs()
    {
        using var directory = new TempDirectory();
        await using var store = new Watched(await SqliteEventStore.OpenAsync(directory.File("withdrawn.db")))
        {
            Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        using var session = new LedgerSession(store, new FixedClock(DateTimeOffset.UnixEpoch));
        await using var writer = new LedgerWriter(session, new WriterOptions(1, TimeSpan.Zero));
        using var cancel = new CancellationTokenSource();
        // the first command's turn is held open; the second waits in the queue and is withdrawn there
        var taken = writer.SubmitAsync(new Deposit("a", "USDT", 1), new CommandContext("taken"));
        await store.TurnStarted.Task;
        var withdrawn = writer.SubmitAsync(
            new Deposit("b", "USDT", 2),
            new CommandContext("withdrawn"),
            cancellationToken: cancel.Token
        );
        await cancel.CancelAsync();
        store.FailCommits = true;
        store.Hold.SetResult();

        Assert.That(async () => await taken, Throws.TypeOf<CommitOutcomeUnknownException>());
        Assert.That(async () => await withdrawn, Throws.InstanceOf<OperationCanceledException>());
        store.FailCommits = false;
        Assert.That(
            await writer.SubmitAsync(new Deposit("c", "USDT", 3), new CommandContext("later")),
            Is.TypeOf<CommandOutcome.Accepted>()
        );
        Assert.That(
            (await store.ReadAllAsync().ToListAsync()).Select(e => e.Metadata.CommandId),
            Is.EqualTo(new[] { "later" }),
            "the failed commit rolled back and the withdrawn command never ran"
        );
    }

    [Test]
    public async Task Disposing_commits_what_was_queued_and_refuses_what_comes_after()
    {
        using var directory = new TempDirectory();
        await using var store = await SqliteEventStore.OpenAsync(directory.File("dispose.db"));
        using var session = new LedgerSession(store, new FixedClock(DateTimeOffset.UnixEpoch));
        var writer = new LedgerWriter(session, new WriterOptions(10, TimeSpan.FromMilliseconds(20)));
        var queued = Enumerable
            .Range(0, 25)
            .Select(n => writer.SubmitAsync(new Deposit($"a{n}", "USDT", 1), new CommandContext($"q{n}")))
            .ToList();
        await writer.DisposeAsync();
        Assert.That(await store.HeadAsync(), Is.EqualTo(25), "committed before the writer let go");
        Assert.That(await Task.WhenAll(queued), Has.All.TypeOf<CommandOutcome.Accepted>());
        Assert.That(
            async () => await writer.SubmitAsync(new Deposit("z", "USDT", 1), new CommandContext("late")),
            Throws.TypeOf<ObjectDisposedException>()
        );
    }

    [Test]
    public void Options_out_of_range_are_refused_with_the_rule()
    {
        Assert.That(new WriterOptions(0, TimeSpan.Zero).Problem, Does.Contain("batch size 0"));
        Assert.That(new WriterOptions(10, TimeSpan.FromSeconds(11)).Problem, Does.Contain("batch wait 11000 ms"));
        Assert.That(WriterOptions.Default.Problem, Is.Null);
    }
}
