using System.Runtime.CompilerServices;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using Microsoft.Data.Sqlite;
using static CrossMargin.Ledger.IntegrationTests.Store.Appends;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>
/// Replays read the log up to eight batches of 256 rows ahead on a thread of their own (<see cref="DecodedLog"/>),
/// which also decodes batches while the caller is behind. On a real SQLite file: the caller sees what reading and
/// decoding in line gives, a damaged row included, and the reader never outlives the enumeration, however it ends.
/// </summary>
public sealed class ReadAheadTests
{
    private const int Events = 10_000; // more than a page of the store's reads and all the reader may hold ahead

    private TempDirectory directory = null!;

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private async Task<string> Ledger()
    {
        var path = directory.File("ahead.db");
        await using var store = await SqliteEventStore.OpenAsync(path);
        var deposits = Enumerable.Range(1, Events).Select(i => Deposit("a", i, i * (i + 1) / 2m)).ToArray();
        await store.AppendAsync(Request("c1", [("account-a", 0)], deposits));
        return path;
    }

    /// <summary>How many batches must wait before the reader decodes one itself: the default, every batch (the
    /// reader decodes all), none (the caller decodes all).</summary>
    private static readonly int?[] Sides = [null, 0, int.MaxValue];

    /// <summary>Every row of <paramref name="store"/> read and decoded in line, the event as its wire text.</summary>
    private static Task<List<(EventText, (string Type, string Data))>> InLine(IEventStore store) =>
        store
            .ReadTextsAsync()
            .Select(e => (e, EventTypeRegistry.Serialize(EventTypeRegistry.Deserialize(e.Type, e.Data))))
            .ToListAsync()
            .AsTask();

    /// <summary>Sets <paramref name="assignment"/> on the event at position 5 555 behind the store's back.</summary>
    private static async Task Damage(string path, string assignment)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE events SET {assignment} WHERE global_position = 5555";
        await command.ExecuteNonQueryAsync();
    }

    private static IAsyncEnumerable<DecodedEvent> ReadAhead(IEventStore store, int? decodeWhenAhead) =>
        decodeWhenAhead is { } ahead
            ? DecodedLog.ReadAheadDecodingAsync(store, ahead)
            : DecodedLog.ReadAheadAsync(store);

    [Test]
    public async Task Every_event_comes_in_order_decoded_as_reading_in_line_decodes_it_whichever_side_decodes()
    {
        await using var store = await SqliteEventStore.OpenAsync(await Ledger());
        var inLine = await InLine(store);
        foreach (var side in Sides)
        {
            var ahead = await ReadAhead(store, side)
                .Select(e => (e.Stored, EventTypeRegistry.Serialize(e.Event)))
                .ToListAsync();
            Assert.That(ahead, Has.Count.EqualTo(Events));
            Assert.That(ahead, Is.EqualTo(inLine), $"decoded ahead from {side?.ToString() ?? "the default"}");
        }
        Assert.That(await DecodedLog.ReadAheadAsync(store, 5_000, 5_200).CountAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task A_damaged_row_ends_the_read_after_the_events_before_it_with_the_same_exception()
    {
        var path = await Ledger();
        await Damage(path, "hash = 'zz'");
        await using var store = await SqliteEventStore.OpenAsync(path);
        var readInLine = new List<long>();
        var inLineFailure = Assert.ThrowsAsync<MalformedEventException>(async () =>
        {
            await foreach (var e in store.ReadTextsAsync())
                readInLine.Add(e.GlobalPosition);
        });
        var read = new List<long>();
        var ahead = Assert.ThrowsAsync<MalformedEventException>(async () =>
        {
            await foreach (var e in DecodedLog.ReadAheadAsync(store))
                read.Add(e.Stored.GlobalPosition);
        });
        // the store reads pages of rows and checks a page before handing out its rows
        Assert.That(readInLine, Is.Not.Empty.And.Count.LessThan(5_555));
        Assert.That(read, Is.EqualTo(readInLine));
        Assert.That(ahead!.Position, Is.EqualTo(5_555));
        Assert.That(ahead.Message, Is.EqualTo(inLineFailure!.Message));
    }

    [Test]
    public async Task A_caller_slower_than_the_reader_gets_the_events_in_order()
    {
        // the caller waits a millisecond every sixteen events, some 16 ms a batch: the reader keeps its eight batches
        // full and, with two or more waiting, decodes batches itself
        await using var store = await SqliteEventStore.OpenAsync(await Ledger());
        var inLine = await InLine(store);
        var ahead = new List<(EventText, (string Type, string Data))>();
        await foreach (var e in DecodedLog.ReadAheadAsync(store))
        {
            if (ahead.Count % 16 == 0)
                await Task.Delay(1);
            ahead.Add((e.Stored, EventTypeRegistry.Serialize(e.Event)));
        }
        Assert.That(ahead, Is.EqualTo(inLine));
    }

    [Test]
    public async Task An_event_that_does_not_decode_ends_the_read_in_its_place_whichever_side_decodes_it()
    {
        var path = await Ledger();
        await Damage(path, "data = '{\"amount\": '");
        await using var store = await SqliteEventStore.OpenAsync(path);
        var damaged = await store.ReadTextsAsync(5_554, 5_555).SingleAsync();
        var inLine = Assert.Catch(() => EventTypeRegistry.Deserialize(damaged.Type, damaged.Data));
        foreach (var side in Sides)
        {
            var read = new List<long>();
            var ahead = Assert.CatchAsync(async () =>
            {
                await foreach (var e in ReadAhead(store, side))
                    read.Add(e.Stored.GlobalPosition);
            });
            var from = $"decoded ahead from {side?.ToString() ?? "the default"}";
            Assert.That(read, Is.EqualTo(Enumerable.Range(1, 5_554).Select(i => (long)i)), from);
            Assert.That((ahead!.GetType(), ahead.Message), Is.EqualTo((inLine!.GetType(), inLine.Message)), from);
        }
    }

    [TestCase(100)] // before the first batch is full
    [TestCase(300)] // within the second
    [TestCase(2_000)] // after several
    public async Task A_store_failing_mid_batch_still_hands_out_every_row_it_read_first(int rows)
    {
        await using var store = new WatchedStore(await SqliteEventStore.OpenAsync(await Ledger()), failAfter: rows);
        var read = new List<long>();
        var failure = Assert.ThrowsAsync<MalformedEventException>(async () =>
        {
            await foreach (var e in DecodedLog.ReadAheadAsync(store))
                read.Add(e.Stored.GlobalPosition);
        });
        Assert.That(read, Is.EqualTo(Enumerable.Range(1, rows).Select(i => (long)i)));
        Assert.That(failure!.Position, Is.EqualTo(rows + 1));
    }

    [Test]
    public async Task Leaving_early_stops_the_reader_before_the_caller_goes_on()
    {
        await using var store = new WatchedStore(await SqliteEventStore.OpenAsync(await Ledger()));
        await foreach (var e in DecodedLog.ReadAheadAsync(store))
            if (e.Stored.GlobalPosition == 3)
                break;
        Assert.That((store.Started, store.Open), Is.EqualTo((1, 0)));
        Assert.That(store.Delivered, Is.LessThan(Events), "the reader was stopped, not run to the end");
    }

    [Test]
    public async Task A_cancelled_read_stops_the_reader_and_says_it_was_cancelled()
    {
        await using var store = new WatchedStore(await SqliteEventStore.OpenAsync(await Ledger()));
        using var cancel = new CancellationTokenSource();
        var read = 0;
        Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in DecodedLog.ReadAheadAsync(store, cancellationToken: cancel.Token))
                if (++read == 10)
                    await cancel.CancelAsync();
        });
        Assert.That((store.Started, store.Open), Is.EqualTo((1, 0)));
        Assert.That(read, Is.EqualTo(10), "the event after the cancellation is not handed out");
    }

    /// <summary>A real store that counts the reads of <see cref="IEventStore.ReadTextsAsync"/> started and still
    /// open (a read closes a tenth of a second after it is left) and the rows they handed out, and that can fail
    /// after a number of rows, as a store does at a damaged row.</summary>
    private sealed class WatchedStore(IEventStore inner, int? failAfter = null) : DelegatingStore(inner), IEventStore
    {
        private readonly IEventStore store = inner;
        private readonly int? failAfter = failAfter;
        private int open;
        private int delivered;

        public int Started { get; private set; }

        public int Open => Volatile.Read(ref open);

        public int Delivered => Volatile.Read(ref delivered);

        protected override IWriteTurn Wrap(IWriteTurn turn) => turn;

        IAsyncEnumerable<EventText> IEventStore.ReadTextsAsync(
            long afterPosition,
            long? toPosition,
            CancellationToken cancellationToken
        )
        {
            Started++;
            return Watched(store.ReadTextsAsync(afterPosition, toPosition, cancellationToken), cancellationToken);
        }

        private async IAsyncEnumerable<EventText> Watched(
            IAsyncEnumerable<EventText> rows,
            [EnumeratorCancellation] CancellationToken cancellationToken
        )
        {
            Interlocked.Increment(ref open);
            try
            {
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    if (Interlocked.Increment(ref delivered) > failAfter)
                        throw new MalformedEventException(row.GlobalPosition, "the test's store fails here");
                    yield return row;
                }
            }
            finally
            {
                // a reader that takes its time to stop: the caller must still wait for it
                await Task.Delay(100, CancellationToken.None);
                Interlocked.Decrement(ref open);
            }
        }
    }
}
