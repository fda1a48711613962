using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>A stored event as a fold takes it: where it stands in the log, and the event decoded.</summary>
public readonly record struct DecodedEvent(EventText Stored, ILedgerEvent Event);

/// <summary>
/// The log read one step ahead of its decoding and fold (design §9). Reading and checking the rows, decoding them and
/// folding them each take about a third of a replay (100 000 bench commands, warm, one after another in a probe:
/// 341–365, 177–230 and 224–282 ms), and none of the three needs the others' core. The rows are read on a thread of
/// their own, up to eight batches of 256 ahead (about 2 300 rows with the batch being filled), and folded in the
/// log's order on the caller's. Each batch is decoded on whichever side has time: the reader decodes a batch itself
/// while two or more wait for the caller, which is then the slower side, and hands it over as rows otherwise.
/// Decoding is pure, so which side did it changes nothing the caller sees.
/// </summary>
/// <remarks>
/// What the caller sees is what reading and decoding in line would give: every event in global order, and when a row
/// cannot be read or decoded, the events before it and then the same exception. The reader never outlives the
/// enumeration: leaving it early, by a break, an exception in the fold or cancellation, stops the reader and waits
/// for it, so the store is never read behind its caller's back.
/// </remarks>
public static class DecodedLog
{
    private const int Batch = 256;
    private const int BatchesAhead = 8;

    // the reader decodes a batch itself when at least this many wait for the caller
    private const int DecodeWhenAhead = 2;

    /// <summary>Rows read, and their events when the reader decoded them (null: the caller decodes).</summary>
    private sealed record Rows(EventText[] Texts, ILedgerEvent[]? Events);

    /// <summary>The log after <paramref name="after"/> up to <paramref name="to"/> (the head when null), its rows
    /// read ahead of the caller and decoded by the reader while the caller is behind, else as the caller takes
    /// them.</summary>
    public static IAsyncEnumerable<DecodedEvent> ReadAheadAsync(
        IEventStore store,
        long after = 0,
        long? to = null,
        CancellationToken cancellationToken = default
    ) => ReadAheadDecodingAsync(store, DecodeWhenAhead, after, to, cancellationToken);

    /// <summary><see cref="ReadAheadAsync"/>, with the reader decoding a batch itself when at least
    /// <paramref name="decodeWhenAhead"/> wait for the caller: 0 has it decode every batch, more than
    /// <see cref="BatchesAhead"/> none (the tests hold each side to reading in line).</summary>
    internal static async IAsyncEnumerable<DecodedEvent> ReadAheadDecodingAsync(
        IEventStore store,
        int decodeWhenAhead,
        long after = 0,
        long? to = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<Rows>(
            new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true }
        );
        var reader = Task.Run(
            () => ReadAsync(store, after, to, channel, decodeWhenAhead, stop.Token),
            CancellationToken.None
        );
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                for (var i = 0; i < batch.Texts.Length; i++)
                {
                    // cancellation is noticed at the next event, whatever the reader holds ahead
                    cancellationToken.ThrowIfCancellationRequested();
                    var e = batch.Texts[i];
                    yield return new DecodedEvent(e, batch.Events?[i] ?? EventTypeRegistry.Deserialize(e));
                }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }
    }

    /// <summary>Reads in batches; whatever ends the reading, an exception included, completes the channel, which
    /// hands the exception to the fold after the events before it. Never throws.</summary>
    private static async Task ReadAsync(
        IEventStore store,
        long after,
        long? to,
        Channel<Rows> channel,
        int decodeWhenAhead,
        CancellationToken cancellationToken
    )
    {
        var batch = new List<EventText>(Batch);
        try
        {
            await foreach (var e in store.ReadTextsAsync(after, to, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(e);
                if (batch.Count < Batch)
                    continue;
                await channel
                    .Writer.WriteAsync(Handed([.. batch], channel, decodeWhenAhead), cancellationToken)
                    .ConfigureAwait(false);
                batch.Clear();
            }
            if (batch.Count > 0)
                await channel
                    .Writer.WriteAsync(Handed([.. batch], channel, decodeWhenAhead), cancellationToken)
                    .ConfigureAwait(false);
            channel.Writer.Complete();
        }
        catch (Exception e)
        {
            // the rows read before the failure still go first, unless the caller has left
            if (batch.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await channel
                        .Writer.WriteAsync(new Rows([.. batch], null), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // the caller left while the rows waited for room
                }
            }
            channel.Writer.TryComplete(e);
        }
    }

    /// <summary>The rows as they go to the caller: decoded here while the caller is behind, as rows otherwise. A row
    /// that does not decode here ends the reading like a row that does not read: its batch goes to the caller as rows,
    /// and the caller meets the failure in its place, after the events before it.</summary>
    private static Rows Handed(EventText[] texts, Channel<Rows> channel, int decodeWhenAhead)
    {
        if (channel.Reader.Count < decodeWhenAhead)
            return new Rows(texts, null);
        var events = new ILedgerEvent[texts.Length];
        for (var i = 0; i < texts.Length; i++)
            events[i] = EventTypeRegistry.Deserialize(texts[i]);
        return new Rows(texts, events);
    }
}
