using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Market;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.EventStore.Snapshots;

/// <summary>Reads the canonical form <see cref="SnapshotWriter"/> writes, in one forward pass: every name through the
/// identifier rules of a stored one, every key once, nothing after the streams.</summary>
internal sealed class SnapshotReader
{
    private readonly List<(byte[] Utf8, Symbol Symbol)> symbols = [];
    private readonly List<(byte[] Utf8, Asset Asset)> assets = [];

    // with PartAt: the offset asked about, the part being read, and the part found to hold it
    private readonly long? asked;
    private string part = "the instrument list";
    private string? found;

    // the readers of an account's keys, made once per read (a method group would make one per account)
    private readonly Reader<Asset> assetKey;
    private readonly Reader<Symbol> symbolKey;

    private SnapshotReader(long? asked)
    {
        this.asked = asked;
        assetKey = Asset;
        symbolKey = Symbol;
    }

    public static (LedgerState State, IReadOnlyDictionary<string, long> Streams) Read(
        ReadOnlySpan<byte> bytes,
        long position,
        Digest seal
    )
    {
        var span = new SnapshotSpan(bytes);
        StateSnapshot.ReadHeader(ref span, position, seal);
        return new SnapshotReader(null).Body(ref span);
    }

    public static string PartAt(ReadOnlySpan<byte> bytes, long offset)
    {
        if (offset < 0)
            return "no part (the offset is before the first byte)";
        if (offset < HeaderLength)
            return "the header (form, format, position and seal)";
        var reader = new SnapshotReader(offset);
        var span = new SnapshotSpan(bytes);
        try
        {
            span.Raw(HeaderLength);
            reader.Enter(ref span, "the instrument list");
            reader.Body(ref span);
            // the last part read holds the offset when it is before the end
            reader.Enter(ref span, "the bytes past the end");
        }
        catch (Located)
        {
            // found
        }
        return reader.found ?? "the bytes past the end";
    }

    /// <summary>The magic, the format, the position and the seal.</summary>
    private const int HeaderLength = 8 + 4 + 8 + 32;

    /// <summary>Thrown to stop reading once the part holding the offset asked about is known.</summary>
    private sealed class Located : Exception;

    /// <summary>Starts the part <paramref name="what"/> at the reader's offset; with an offset asked about, ends the
    /// read once the part before holds it.</summary>
    private void Enter(ref SnapshotSpan span, string what)
    {
        if (asked is not { } offset)
            return;
        if (found is null && span.Offset > offset)
        {
            found = part;
            throw new Located();
        }
        part = what;
    }

    /// <summary>Names the part being read more precisely once its name is read: <paramref name="what"/> and
    /// <paramref name="name"/>, joined only with an offset asked about (a restore makes no text and no closure for
    /// it).</summary>
    private void Rename<T>(string what, T name)
    {
        if (asked is not null)
            part = what + name;
    }

    private (LedgerState State, IReadOnlyDictionary<string, long> Streams) Body(ref SnapshotSpan span)
    {
        var instruments = ImmutableSortedDictionary.CreateBuilder<Symbol, InstrumentState>();
        for (var n = span.Count(least: 100); n > 0; n--)
        {
            var instrument = Instrument(ref span);
            instruments.Add(instrument.Spec.Symbol, instrument);
        }
        Enter(ref span, "the collateral list");
        var collateral = ImmutableSortedDictionary.CreateBuilder<Asset, CollateralState>();
        for (var n = span.Count(least: 40); n > 0; n--)
        {
            var listed = Collateral(ref span);
            collateral.Add(listed.Asset, listed);
        }
        Enter(ref span, "the liquidation policy");
        var buffer = span.Decimal();
        var policy = new LiquidationPolicy(
            buffer,
            Enum.TryParse<DeficitPolicy>(span.Text(), out var deficit) && Enum.IsDefined(deficit)
                ? deficit
                : throw new FormatException($"the deficit policy before byte {span.Offset} is not a policy")
        );

        Enter(ref span, "the account list");
        var count = span.Count(least: 14);
        var ids = new AccountId[count];
        var accounts = ImmutableSortedDictionary.CreateBuilder<AccountId, AccountState>();
        for (var n = 0; n < count; n++)
        {
            var account = Account(ref span);
            ids[n] = account.Id;
            accounts.Add(account.Id, account);
        }

        var insuranceFund = Amounts(ref span, "the insurance fund");
        var feeAccount = Amounts(ref span, "the fee account");
        var flows = new ExternalFlows(
            Amounts(ref span, "the deposits"),
            Amounts(ref span, "the withdrawals"),
            Amounts(ref span, "the realised PnL")
        );
        var held = Amounts(ref span, "the balances held");

        Enter(ref span, "the holders list");
        var holders = ImmutableDictionary.CreateBuilder<Symbol, ImmutableSortedSet<AccountId>>();
        for (var n = span.Count(least: 5); n > 0; n--)
        {
            Enter(ref span, "the holders of an instrument");
            var symbol = Symbol(ref span);
            Rename("the holders of ", symbol);
            var set = new AccountId[span.Count(least: 4)];
            for (var i = 0; i < set.Length; i++)
            {
                var at = span.Offset;
                var index = span.Int32();
                // in the accounts' order, each once, and an account the snapshot holds
                if (index < 0 || index >= ids.Length || (i > 0 && ids[index].CompareTo(set[i - 1]) <= 0))
                    throw new FormatException($"the holder at byte {at} is not the next account in order");
                set[i] = ids[index];
            }
            holders.Add(symbol, ImmutableSortedSet.CreateRange(set));
        }

        Enter(ref span, "the stream list");
        var streams = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var n = span.Count(least: 9); n > 0; n--)
        {
            Enter(ref span, "a stream's version");
            var stream = span.Text();
            Rename("the version of the stream ", stream);
            streams.Add(stream, span.Int64());
        }
        if (!span.AtEnd)
            throw new FormatException($"bytes after the snapshot, from byte {span.Offset}");
        var state = new LedgerState(
            new MarketState(instruments.ToImmutable(), collateral.ToImmutable(), policy),
            accounts.ToImmutable(),
            insuranceFund,
            feeAccount,
            flows,
            holders.ToImmutable()
        )
        {
            Held = held,
        };
        return (state, streams);
    }

    private InstrumentState Instrument(ref SnapshotSpan span)
    {
        Enter(ref span, "an instrument");
        var symbol = Symbol(ref span);
        Rename("the instrument ", symbol);
        var @base = Asset(ref span);
        var quote = Asset(ref span);
        var tiers = new RiskTier[span.Count(least: 65)];
        for (var i = 0; i < tiers.Length; i++)
            tiers[i] = new RiskTier(
                span.Decimal(),
                span.OptionalDecimal(),
                span.Decimal(),
                span.Decimal(),
                span.Decimal()
            );
        var (taker, liquidationFee, step, tick) = (span.Decimal(), span.Decimal(), span.Decimal(), span.Decimal());
        var limits = new InstrumentLimits(span.Int32(), span.Decimal(), span.Decimal(), span.Decimal(), span.Decimal());
        var spec = new InstrumentSpec(
            symbol,
            @base,
            quote,
            RiskTierSchedule.FromRecorded(tiers),
            taker,
            liquidationFee,
            step,
            tick,
            limits
        )
        {
            LiquidationSlippage = span.Decimal(),
            LiquidationNotionalCap = span.OptionalDecimal(),
        };
        return new InstrumentState(spec, span.OptionalDecimal());
    }

    private CollateralState Collateral(ref SnapshotSpan span)
    {
        Enter(ref span, "a collateral asset");
        var asset = Asset(ref span);
        Rename("the collateral asset ", asset);
        var bands = new CollateralRatioTier[span.Count(least: 32)];
        for (var i = 0; i < bands.Length; i++)
            bands[i] = new CollateralRatioTier(span.Decimal(), span.Decimal());
        var indexPrice = span.OptionalDecimal();
        var limits = new AssetLimits(span.Int32(), span.Decimal(), span.Decimal());
        return new CollateralState(asset, CollateralSchedule.FromRecorded(bands), indexPrice, limits);
    }

    private AccountState Account(ref SnapshotSpan span)
    {
        Enter(ref span, "an account");
        var start = span.Offset;
        var id = Id(AccountId.ParseStored(span.Text()), start);
        Rename("account ", id);
        var balances = Map(ref span, 17, assetKey, Amount, "the balances of ", id);
        var positions = Map(ref span, 33, symbolKey, PositionOf, "the positions of ", id);
        var leverage = Map(ref span, 17, symbolKey, Amount, "the leverage settings of ", id);
        var liquidations = span.Int32();
        return new AccountState(id, balances, positions, leverage, liquidations);
    }

    /// <summary>One of an account's maps: its count, then each key (once) and value, gathered in a buffer the map
    /// copies out.</summary>
    private static SmallSortedDictionary<TKey, TValue> Map<TKey, TValue>(
        ref SnapshotSpan span,
        int least,
        Reader<TKey> key,
        Reader<TValue> value,
        string what,
        AccountId of
    )
        where TKey : IEquatable<TKey>
    {
        var entries = Entries<TKey, TValue>(ref span, least);
        Fill(ref span, entries, key, value, what, of);
        return SmallSortedDictionary.Of<TKey, TValue>(entries);
    }

    /// <summary>Reads the keys (each once) and values of <paramref name="entries"/>.</summary>
    private static void Fill<TKey, TValue>(
        ref SnapshotSpan span,
        scoped Span<KeyValuePair<TKey, TValue>> entries,
        Reader<TKey> key,
        Reader<TValue> value,
        string what,
        AccountId? of
    )
        where TKey : IEquatable<TKey>
    {
        HashSet<TKey>? seen = null;
        for (var i = 0; i < entries.Length; i++)
        {
            var at = span.Offset;
            var read = key(ref span);
            Once(read, entries[..i], ref seen, at, what, of);
            entries[i] = new(read, value(ref span));
        }
    }

    private delegate T Reader<out T>(ref SnapshotSpan span);

    private static decimal Amount(ref SnapshotSpan span) => span.Decimal();

    private static Position PositionOf(ref SnapshotSpan span) => new(span.Decimal(), span.Decimal());

    /// <summary>A thread's buffer for one map's entries: the map copies them out (three maps per account of a venue,
    /// so no list per map).</summary>
    private static Span<KeyValuePair<TKey, TValue>> Entries<TKey, TValue>(ref SnapshotSpan span, int least)
        where TKey : notnull
    {
        var count = span.Count(least);
        // only a damaged or crafted snapshot holds an account with hundreds of entries: its buffer is not kept
        if (count > 64)
            return new KeyValuePair<TKey, TValue>[count];
        if (Buffer<TKey, TValue>.Entries is not { } entries || entries.Length < count)
            Buffer<TKey, TValue>.Entries = entries = new KeyValuePair<TKey, TValue>[Math.Max(4, count)];
        return entries.AsSpan(0, count);
    }

    private static class Buffer<TKey, TValue>
    {
        [ThreadStatic]
        public static KeyValuePair<TKey, TValue>[]? Entries;
    }

    private ImmutableSortedDictionary<Asset, decimal> Amounts(ref SnapshotSpan span, string what)
    {
        Enter(ref span, what);
        var count = span.Count(least: 17);
        if (count == 0)
            return ImmutableSortedDictionary<Asset, decimal>.Empty;
        var entries = new KeyValuePair<Asset, decimal>[count];
        Fill(ref span, entries, assetKey, Amount, what, null);
        return ImmutableSortedDictionary.CreateRange(entries);
    }

    /// <summary>
    /// Refuses <paramref name="key"/>, read at byte <paramref name="at"/>, when the map's entries so far
    /// (<paramref name="before"/>) hold it: the writer never writes a key twice, so a repeated one, even with an equal
    /// value, is damage (a map would keep one of the two). A map holds a handful of keys and they are compared one by
    /// one; past <see cref="FewKeys"/> (only a damaged or crafted snapshot) a set of them is kept instead, so no map
    /// costs the square of its size.
    /// </summary>
    private static void Once<TKey, TValue>(
        TKey key,
        scoped ReadOnlySpan<KeyValuePair<TKey, TValue>> before,
        ref HashSet<TKey>? seen,
        int at,
        string map,
        AccountId? of
    )
        where TKey : IEquatable<TKey>
    {
        var twice = false;
        if (before.Length < FewKeys)
            foreach (var (held, _) in before)
                twice |= held.Equals(key);
        else
        {
            if (seen is null)
            {
                seen = [];
                foreach (var (held, _) in before)
                    seen.Add(held);
            }
            twice = !seen.Add(key);
        }
        if (twice)
            throw new FormatException($"{map}{of} hold {key} twice (the second at byte {at})");
    }

    private const int FewKeys = 16;

    /// <summary>The symbol whose name is next: a venue names a few in every account, so a name is matched by its bytes
    /// against those already read and made once; past <see cref="FewNames"/> (a venue listing hundreds) it is looked up
    /// by its characters, decoded on the stack, in a dictionary of them.</summary>
    private Symbol Symbol(ref SnapshotSpan span) =>
        Named(
            ref span,
            symbols,
            ref symbolsByName,
            static (text, at) => Id(CrossMargin.Ledger.Symbol.ParseStored(text), at)
        );

    private Asset Asset(ref SnapshotSpan span) =>
        Named(
            ref span,
            assets,
            ref assetsByName,
            static (text, at) => Id(CrossMargin.Ledger.Asset.ParseStored(text), at)
        );

    private const int FewNames = 16;

    // a name of an instrument or asset is at most 64 characters (longer ones are refused by its rules)
    private const int LongestName = 256;

    private Dictionary<string, Symbol>? symbolsByName;
    private Dictionary<string, Asset>? assetsByName;

    private static T Named<T>(
        ref SnapshotSpan span,
        List<(byte[] Utf8, T Value)> known,
        ref Dictionary<string, T>? byName,
        Func<string, int, T> parse
    )
    {
        var at = span.Offset;
        var utf8 = span.TextBytes();
        if (byName is null)
        {
            foreach (var (name, value) in known)
                if (utf8.SequenceEqual(name))
                    return value;
            var parsed = parse(System.Text.Encoding.UTF8.GetString(utf8), at);
            known.Add((utf8.ToArray(), parsed));
            if (known.Count >= FewNames)
                byName = known.ToDictionary(
                    k => System.Text.Encoding.UTF8.GetString(k.Utf8),
                    k => k.Value,
                    StringComparer.Ordinal
                );
            return parsed;
        }
        if (utf8.Length <= LongestName)
        {
            Span<char> chars = stackalloc char[LongestName];
            var length = System.Text.Encoding.UTF8.GetChars(utf8, chars);
            if (byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var found))
                return found;
        }
        var text = System.Text.Encoding.UTF8.GetString(utf8);
        return byName[text] = parse(text, at);
    }

    private static T Id<T>(Checked<T> parsed, int at) =>
        parsed.Is(out var value, out var problem) ? value : throw new FormatException($"at byte {at}: {problem}");
}
