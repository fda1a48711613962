using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Market;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.EventStore.Snapshots;

/// <summary>
/// A checkpoint of the replayed state (design §9, "snapshots"): the state a replay of the log holds after the event at
/// <see cref="Position"/>,
/// written in its canonical form (<see cref="Text"/>: JSON with a fixed order, every decimal with its scale, so it
/// reads back bit for bit), the hash of that text, and the seal of the log at that position, which ties the
/// snapshot to the one log it was folded from. The engine's caches (trigger index, ADL book) are not part of it:
/// they are rebuilt as after any replay. A snapshot is an optimisation: opening a store loads the latest one and
/// replays the tail, and one that fails any check is ignored (the store replays from the start).
/// <para>
/// The text is kept as its UTF-8 bytes (<see cref="Utf8"/>), which is what is hashed, read and stored: a venue's
/// snapshot is tens of megabytes, and turning it into a string and back cost a fresh process 50 MiB of its peak
/// memory and a fifth of the time it took to read the row. <see cref="Text"/> decodes it when asked for.
/// </para>
/// </summary>
public sealed record StateSnapshot
{
    private readonly ReadOnlyMemory<byte> utf8;

    // the text decoded from utf8, once asked for (a race decodes it twice, to equal strings)
    private string? text;

    /// <summary>A snapshot of the canonical text <paramref name="text"/>.</summary>
    public StateSnapshot(long position, Digest seal, Digest stateHash, string text)
        : this(position, seal, stateHash, Encoding.UTF8.GetBytes(text)) => this.text = text;

    /// <summary>A snapshot of the canonical text whose UTF-8 bytes are <paramref name="utf8"/> (kept, not
    /// copied).</summary>
    public StateSnapshot(long position, Digest seal, Digest stateHash, ReadOnlyMemory<byte> utf8)
    {
        Position = position;
        Seal = seal;
        StateHash = stateHash;
        this.utf8 = utf8;
    }

    /// <summary>The position of the last event folded into the state.</summary>
    public long Position { get; init; }

    /// <summary>The log's seal at <see cref="Position"/>.</summary>
    public Digest Seal { get; init; }

    /// <summary>The hash the snapshot was stored under: that of its text's UTF-8 bytes when it is intact.</summary>
    public Digest StateHash { get; init; }

    /// <summary>The canonical text's UTF-8 bytes, as hashed and stored.</summary>
    public ReadOnlyMemory<byte> Utf8
    {
        get => utf8;
        init => (utf8, text) = (value, null);
    }

    /// <summary>The canonical text.</summary>
    public string Text
    {
        get => text ??= Encoding.UTF8.GetString(utf8.Span);
        init => (utf8, text) = (Encoding.UTF8.GetBytes(value), value);
    }

    /// <summary>The snapshot's parts, as its constructor takes them.</summary>
    public void Deconstruct(out long position, out Digest seal, out Digest stateHash, out string text) =>
        (position, seal, stateHash, text) = (Position, Seal, StateHash, Text);

    /// <summary>Equal when the positions, seals, hashes and texts (their bytes) are.</summary>
    public bool Equals(StateSnapshot? other) =>
        other is not null
        && Position == other.Position
        && Seal == other.Seal
        && StateHash == other.StateHash
        && utf8.Span.SequenceEqual(other.utf8.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Position, Seal, StateHash);

    // the text is tens of megabytes on a venue: a snapshot prints what identifies it
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(
            CultureInfo.InvariantCulture,
            $"Position = {Position}, Seal = {Seal}, StateHash = {StateHash}, Utf8 = {utf8.Length} bytes"
        );
        return true;
    }

    /// <summary>The version of the canonical form; a snapshot of another version is ignored, never
    /// read.</summary>
    public const int Format = 1;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The snapshot of <paramref name="state"/>, the state after the event at <paramref name="position"/>,
    /// whose seal is <paramref name="seal"/>; <paramref name="streams"/> holds each stream's version there.</summary>
    public static StateSnapshot Take(
        LedgerState state,
        IReadOnlyDictionary<string, long> streams,
        long position,
        Digest seal
    )
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            Write(json, state, streams, position, seal);
        var utf8 = buffer.WrittenSpan.ToArray();
        return new StateSnapshot(position, seal, Digest.Of(utf8), utf8);
    }

    /// <summary>
    /// The state and stream versions the snapshot holds, after checking its hash, its format and that its text
    /// names its own position and seal.
    /// </summary>
    /// <exception cref="InvalidDataException">the snapshot fails a check; the message says which.</exception>
    public (LedgerState State, IReadOnlyDictionary<string, long> Streams) Restore()
    {
        if (Digest.Of(utf8.Span) != StateHash)
            throw new InvalidDataException($"the snapshot at position {Position} does not match its hash");
        try
        {
            return Read(utf8.Span, Position, Seal);
        }
        catch (Exception e)
            when (e
                    is JsonException
                        or InvalidOperationException
                        or FormatException
                        or ArgumentException
                        or OverflowException
            )
        {
            throw new InvalidDataException($"the snapshot at position {Position} cannot be read: {e.Message}", e);
        }
    }

    // ---- writing ----

    private static void Write(
        Utf8JsonWriter json,
        LedgerState state,
        IReadOnlyDictionary<string, long> streams,
        long position,
        Digest seal
    )
    {
        // the stress lab's full-close policy is set by no command, so no folded state holds it: a state that does is
        // a what-if, and a what-if never becomes a snapshot
        if (state.Market.Policy.CloseInFull)
            throw new InvalidOperationException("a what-if state (the full-close policy) is never snapshotted");
        json.WriteStartObject();
        json.WriteNumber("format", Format);
        json.WriteNumber("position", position);
        json.WriteString("seal", seal.Hex);
        json.WriteStartObject("market");
        json.WriteStartArray("instruments");
        foreach (var (_, instrument) in state.Market.Instruments)
            Write(json, instrument);
        json.WriteEndArray();
        json.WriteStartArray("collateral");
        foreach (var (_, collateral) in state.Market.Collateral)
            Write(json, collateral);
        json.WriteEndArray();
        json.WriteStartObject("policy");
        Number(json, "buffer", state.Market.Policy.Buffer);
        json.WriteString("deficitPolicy", state.Market.Policy.DeficitPolicy.ToString());
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("accounts");
        foreach (var (_, account) in state.Accounts)
            Write(json, account);
        json.WriteEndArray();
        Amounts(json, "insuranceFund", state.InsuranceFund);
        Amounts(json, "feeAccount", state.FeeAccount);
        json.WriteStartObject("flows");
        Amounts(json, "deposits", state.Flows.Deposits);
        Amounts(json, "withdrawals", state.Flows.Withdrawals);
        Amounts(json, "realizedPnl", state.Flows.RealizedPnl);
        json.WriteEndObject();
        Amounts(json, "held", state.Held);
        json.WriteStartObject("holders");
        foreach (var (symbol, holders) in state.Holders.OrderBy(h => h.Key.Value, StringComparer.Ordinal))
        {
            json.WriteStartArray(symbol.Value);
            foreach (var id in holders)
                json.WriteStringValue(id.Value);
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteStartObject("streams");
        foreach (var (stream, version) in streams.OrderBy(s => s.Key, StringComparer.Ordinal))
            json.WriteNumber(stream, version);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, InstrumentState instrument)
    {
        var spec = instrument.Spec;
        json.WriteStartObject();
        json.WriteString("symbol", spec.Symbol.Value);
        json.WriteString("base", spec.Base.Value);
        json.WriteString("quote", spec.Quote.Value);
        json.WriteStartArray("tiers");
        foreach (var tier in spec.Tiers.Tiers)
        {
            json.WriteStartObject();
            Number(json, "floor", tier.Floor);
            Number(json, "cap", tier.Cap);
            Number(json, "mmr", tier.Mmr);
            Number(json, "maxLeverage", tier.MaxLeverage);
            Number(json, "maintenanceAmount", tier.MaintenanceAmount);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        Number(json, "takerFeeRate", spec.TakerFeeRate);
        Number(json, "liquidationFeeRate", spec.LiquidationFeeRate);
        Number(json, "quantityStep", spec.QuantityStep);
        Number(json, "tickSize", spec.TickSize);
        json.WriteStartObject("limits");
        json.WriteNumber("pricePrecision", spec.Limits.PricePrecision);
        Number(json, "maxPrice", spec.Limits.MaxPrice);
        Number(json, "maxQuantity", spec.Limits.MaxQuantity);
        Number(json, "maxPositionNotional", spec.Limits.MaxPositionNotional);
        Number(json, "priceBand", spec.Limits.PriceBand);
        json.WriteEndObject();
        Number(json, "liquidationSlippage", spec.LiquidationSlippage);
        Number(json, "liquidationNotionalCap", spec.LiquidationNotionalCap);
        Number(json, "mark", instrument.Mark);
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, CollateralState collateral)
    {
        json.WriteStartObject();
        json.WriteString("asset", collateral.Asset.Value);
        json.WriteStartArray("bands");
        foreach (var band in collateral.Schedule.Bands)
        {
            json.WriteStartObject();
            Number(json, "floor", band.Floor);
            Number(json, "ratio", band.Ratio);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        Number(json, "indexPrice", collateral.IndexPrice);
        json.WriteStartObject("limits");
        json.WriteNumber("precision", collateral.Limits.Precision);
        Number(json, "maxPrice", collateral.Limits.MaxPrice);
        Number(json, "maxBalance", collateral.Limits.MaxBalance);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, AccountState account)
    {
        json.WriteStartObject();
        json.WriteString("id", account.Id.Value);
        Amounts(json, "balances", account.Balances);
        json.WriteStartObject("positions");
        foreach (var (symbol, position) in account.Positions)
        {
            json.WriteStartObject(symbol.Value);
            Number(json, "size", position.Size);
            Number(json, "entryPrice", position.EntryPrice);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("leverage");
        foreach (var (symbol, leverage) in account.Leverage)
            Number(json, symbol.Value, leverage);
        json.WriteEndObject();
        json.WriteNumber("liquidations", account.Liquidations);
        json.WriteEndObject();
    }

    private static void Amounts(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<Asset, decimal>> amounts)
    {
        json.WriteStartObject(name);
        foreach (var (asset, amount) in amounts)
            Number(json, asset.Value, amount);
        json.WriteEndObject();
    }

    /// <summary>
    /// A decimal with its full scale ("1.50" stays "1.50"), so it reads back bit for bit. The scale is part of the
    /// state: a replayed state carries the scales its arithmetic gave (1.5 + 1.5 is 3.0), and a rule that prints a
    /// figure (a rejection's message) prints it with them, so a snapshot must give back exactly what the replay
    /// would hold.
    /// </summary>
    private static void Number(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
            json.WriteString(name, v.ToString(CultureInfo.InvariantCulture));
        else
            json.WriteNull(name);
    }

    // ---- reading: one forward pass over the UTF-8 text, in the order the writer wrote ----

    private static (LedgerState State, Dictionary<string, long> Streams) Read(
        ReadOnlySpan<byte> utf8,
        long position,
        Digest seal
    )
    {
        var json = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
        var ids = new Identifiers();
        Start(ref json, JsonTokenType.StartObject);
        var format = Long(ref json, "format");
        if (format != Format)
            throw new InvalidDataException($"the snapshot at position {position} has format {format}, not {Format}");
        if (Long(ref json, "position") != position || Word(ref json, "seal") != seal.Hex)
            throw new InvalidDataException(
                $"the snapshot stored at position {position} names another position or seal"
            );

        Name(ref json, "market");
        Start(ref json, JsonTokenType.StartObject);
        Name(ref json, "instruments");
        Start(ref json, JsonTokenType.StartArray);
        var instruments = ImmutableSortedDictionary.CreateBuilder<Symbol, InstrumentState>();
        while (Next(ref json) == JsonTokenType.StartObject)
        {
            var instrument = ReadInstrument(ref json, ids);
            instruments.Add(instrument.Spec.Symbol, instrument);
        }
        Name(ref json, "collateral");
        Start(ref json, JsonTokenType.StartArray);
        var collateral = ImmutableSortedDictionary.CreateBuilder<Asset, CollateralState>();
        while (Next(ref json) == JsonTokenType.StartObject)
        {
            var listed = ReadCollateral(ref json, ids);
            collateral.Add(listed.Asset, listed);
        }
        Name(ref json, "policy");
        Start(ref json, JsonTokenType.StartObject);
        var policy = new LiquidationPolicy(
            Decimal(ref json, "buffer"),
            Enum.Parse<DeficitPolicy>(Word(ref json, "deficitPolicy")) is var deficit && Enum.IsDefined(deficit)
                ? deficit
                : throw new FormatException("deficitPolicy is not a policy")
        );
        End(ref json, JsonTokenType.EndObject);
        End(ref json, JsonTokenType.EndObject);

        Name(ref json, "accounts");
        Start(ref json, JsonTokenType.StartArray);
        var accounts = ImmutableSortedDictionary.CreateBuilder<AccountId, AccountState>();
        while (Next(ref json) == JsonTokenType.StartObject)
        {
            var account = ReadAccount(ref json, ids);
            accounts.Add(account.Id, account);
        }
        var insuranceFund = Amounts(ref json, "insuranceFund", ids);
        var feeAccount = Amounts(ref json, "feeAccount", ids);
        Name(ref json, "flows");
        Start(ref json, JsonTokenType.StartObject);
        var flows = new ExternalFlows(
            Amounts(ref json, "deposits", ids),
            Amounts(ref json, "withdrawals", ids),
            Amounts(ref json, "realizedPnl", ids)
        );
        End(ref json, JsonTokenType.EndObject);
        var held = Amounts(ref json, "held", ids);
        Name(ref json, "holders");
        Start(ref json, JsonTokenType.StartObject);
        var holders = ImmutableDictionary.CreateBuilder<Symbol, ImmutableSortedSet<AccountId>>();
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            var symbol = ids.SymbolKey(ref json);
            Start(ref json, JsonTokenType.StartArray);
            var set = new List<AccountId>();
            while (Next(ref json) == JsonTokenType.String)
                set.Add(Id(AccountId.ParseStored(json.GetString())));
            holders.Add(symbol, ImmutableSortedSet.CreateRange(set));
        }
        Name(ref json, "streams");
        Start(ref json, JsonTokenType.StartObject);
        var streams = new Dictionary<string, long>(StringComparer.Ordinal);
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            var stream = json.GetString()!;
            Start(ref json, JsonTokenType.Number);
            streams.Add(stream, json.GetInt64());
        }
        End(ref json, JsonTokenType.EndObject);
        if (json.Read())
            throw new FormatException($"text after the snapshot, at byte {json.TokenStartIndex}");
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

    private static InstrumentState ReadInstrument(ref Utf8JsonReader json, Identifiers ids)
    {
        var symbol = ids.Symbol(Word(ref json, "symbol"));
        var @base = ids.Asset(Word(ref json, "base"));
        var quote = ids.Asset(Word(ref json, "quote"));
        Name(ref json, "tiers");
        Start(ref json, JsonTokenType.StartArray);
        var tiers = new List<RiskTier>();
        while (Next(ref json) == JsonTokenType.StartObject)
        {
            tiers.Add(
                new RiskTier(
                    Decimal(ref json, "floor"),
                    NullableDecimal(ref json, "cap"),
                    Decimal(ref json, "mmr"),
                    Decimal(ref json, "maxLeverage"),
                    Decimal(ref json, "maintenanceAmount")
                )
            );
            End(ref json, JsonTokenType.EndObject);
        }
        var (taker, liquidationFee) = (Decimal(ref json, "takerFeeRate"), Decimal(ref json, "liquidationFeeRate"));
        var (step, tick) = (Decimal(ref json, "quantityStep"), Decimal(ref json, "tickSize"));
        Name(ref json, "limits");
        Start(ref json, JsonTokenType.StartObject);
        var limits = new InstrumentLimits(
            (int)Long(ref json, "pricePrecision"),
            Decimal(ref json, "maxPrice"),
            Decimal(ref json, "maxQuantity"),
            Decimal(ref json, "maxPositionNotional"),
            Decimal(ref json, "priceBand")
        );
        End(ref json, JsonTokenType.EndObject);
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
            LiquidationSlippage = Decimal(ref json, "liquidationSlippage"),
            LiquidationNotionalCap = NullableDecimal(ref json, "liquidationNotionalCap"),
        };
        var mark = NullableDecimal(ref json, "mark");
        End(ref json, JsonTokenType.EndObject);
        return new InstrumentState(spec, mark);
    }

    private static CollateralState ReadCollateral(ref Utf8JsonReader json, Identifiers ids)
    {
        var asset = ids.Asset(Word(ref json, "asset"));
        Name(ref json, "bands");
        Start(ref json, JsonTokenType.StartArray);
        var bands = new List<CollateralRatioTier>();
        while (Next(ref json) == JsonTokenType.StartObject)
        {
            bands.Add(new CollateralRatioTier(Decimal(ref json, "floor"), Decimal(ref json, "ratio")));
            End(ref json, JsonTokenType.EndObject);
        }
        var indexPrice = NullableDecimal(ref json, "indexPrice");
        Name(ref json, "limits");
        Start(ref json, JsonTokenType.StartObject);
        var limits = new AssetLimits(
            (int)Long(ref json, "precision"),
            Decimal(ref json, "maxPrice"),
            Decimal(ref json, "maxBalance")
        );
        End(ref json, JsonTokenType.EndObject);
        End(ref json, JsonTokenType.EndObject);
        return new CollateralState(asset, CollateralSchedule.FromRecorded(bands), indexPrice, limits);
    }

    private static AccountState ReadAccount(ref Utf8JsonReader json, Identifiers ids)
    {
        var id = Id(AccountId.ParseStored(Word(ref json, "id")));
        var balances = SmallMap(ref json, "balances", ids.AssetKey, DecimalEntry);
        var positions = SmallMap(ref json, "positions", ids.SymbolKey, PositionValue);
        var leverage = SmallMap(ref json, "leverage", ids.SymbolKey, DecimalEntry);
        var liquidations = (int)Long(ref json, "liquidations");
        End(ref json, JsonTokenType.EndObject);
        return new AccountState(id, balances, positions, leverage, liquidations);
    }

    private static ImmutableSortedDictionary<Asset, decimal> Amounts(
        ref Utf8JsonReader json,
        string name,
        Identifiers ids
    ) => Map(ref json, name, ids.AssetKey, DecimalEntry);

    private delegate T ValueReader<out T>(ref Utf8JsonReader json);

    /// <summary>An object of keyed values, in key order whatever the text's; the shared empty map when it holds
    /// none.</summary>
    private static ImmutableSortedDictionary<TKey, TValue> Map<TKey, TValue>(
        ref Utf8JsonReader json,
        string name,
        ValueReader<TKey> key,
        ValueReader<TValue> value
    )
        where TKey : notnull =>
        Entries(ref json, name, key, value) is > 0 and var count
            ? ImmutableSortedDictionary.CreateRange(Buffer<TKey, TValue>.Entries.Take(count))
            : ImmutableSortedDictionary<TKey, TValue>.Empty;

    /// <summary>An account's object of keyed values; the empty map when it holds none.</summary>
    private static SmallSortedDictionary<TKey, TValue> SmallMap<TKey, TValue>(
        ref Utf8JsonReader json,
        string name,
        ValueReader<TKey> key,
        ValueReader<TValue> value
    )
        where TKey : notnull =>
        Entries(ref json, name, key, value) is > 0 and var count
            ? SmallSortedDictionary.Of<TKey, TValue>(Buffer<TKey, TValue>.Entries.AsSpan(0, count))
            : default;

    /// <summary>A thread's buffer for the entries of one map being read: a venue's snapshot reads three maps per
    /// account, and a list per map was a fifth of what a restore allocated.</summary>
    private static class Buffer<TKey, TValue>
    {
        [ThreadStatic]
        private static KeyValuePair<TKey, TValue>[]? entries;

        public static KeyValuePair<TKey, TValue>[] Entries => entries ??= new KeyValuePair<TKey, TValue>[4];

        public static void Grow() => Array.Resize(ref entries, Entries.Length * 2);
    }

    /// <summary>Reads the entries of the object <paramref name="name"/> into <see cref="Buffer{TKey, TValue}"/>, each
    /// key once; how many there are.</summary>
    private static int Entries<TKey, TValue>(
        ref Utf8JsonReader json,
        string name,
        ValueReader<TKey> key,
        ValueReader<TValue> value
    )
        where TKey : notnull
    {
        Name(ref json, name);
        Start(ref json, JsonTokenType.StartObject);
        var count = 0;
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            var at = json.TokenStartIndex;
            var entry = key(ref json);
            var entries = Buffer<TKey, TValue>.Entries;
            for (var i = 0; i < count; i++)
                if (Comparer<TKey>.Default.Compare(entries[i].Key, entry) == 0)
                    throw Twice(name, entry, at);
            if (count == entries.Length)
            {
                Buffer<TKey, TValue>.Grow();
                entries = Buffer<TKey, TValue>.Entries;
            }
            entries[count++] = new(entry, value(ref json));
        }
        return count;
    }

    /// <summary>A key written twice in one map: the writer never does it, so the snapshot is damaged.</summary>
    private static FormatException Twice(string map, object key, long at) =>
        new($"\"{map}\" holds \"{key}\" twice (the second at byte {at})");

    private static decimal DecimalEntry(ref Utf8JsonReader json)
    {
        Start(ref json, JsonTokenType.String);
        return DecimalValue(ref json);
    }

    private static Position PositionValue(ref Utf8JsonReader json)
    {
        Start(ref json, JsonTokenType.StartObject);
        var position = new Position(Decimal(ref json, "size"), Decimal(ref json, "entryPrice"));
        End(ref json, JsonTokenType.EndObject);
        return position;
    }

    private static JsonTokenType Next(ref Utf8JsonReader json) =>
        json.Read() ? json.TokenType : throw new FormatException("the snapshot ends early");

    private static void Start(ref Utf8JsonReader json, JsonTokenType expected)
    {
        if (Next(ref json) != expected)
            throw new FormatException($"expected {expected} at byte {json.TokenStartIndex}, found {json.TokenType}");
    }

    private static void End(ref Utf8JsonReader json, JsonTokenType expected) => Start(ref json, expected);

    private static void Name(ref Utf8JsonReader json, string name)
    {
        if (Next(ref json) != JsonTokenType.PropertyName || !json.ValueTextEquals(name))
            throw new FormatException($"expected \"{name}\" at byte {json.TokenStartIndex}");
    }

    private static long Long(ref Utf8JsonReader json, string name)
    {
        Name(ref json, name);
        Start(ref json, JsonTokenType.Number);
        return json.GetInt64();
    }

    private static string Word(ref Utf8JsonReader json, string name)
    {
        Name(ref json, name);
        Start(ref json, JsonTokenType.String);
        return json.GetString()!;
    }

    private static decimal Decimal(ref Utf8JsonReader json, string name)
    {
        Name(ref json, name);
        Start(ref json, JsonTokenType.String);
        return DecimalValue(ref json);
    }

    private static decimal? NullableDecimal(ref Utf8JsonReader json, string name)
    {
        Name(ref json, name);
        return Next(ref json) switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => DecimalValue(ref json),
            var other => throw new FormatException($"expected a decimal or null for \"{name}\", found {other}"),
        };
    }

    /// <summary>The decimal the string token holds, with its scale ("1.50" is 1.50).</summary>
    private static decimal DecimalValue(ref Utf8JsonReader json) =>
        decimal.Parse(
            json.ValueIsEscaped ? Encoding.UTF8.GetBytes(json.GetString()!) : json.ValueSpan,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture
        );

    private static T Id<T>(Checked<T> parsed) =>
        parsed.Is(out var value, out var problem) ? value : throw new FormatException(problem);

    /// <summary>Symbols and assets read once per distinct text: a venue has a handful, named in every account, so a
    /// name is matched by its bytes against those already read and no string is made for it again.</summary>
    private sealed class Identifiers
    {
        private readonly List<(byte[] Utf8, Symbol Symbol)> symbols = [];
        private readonly List<(byte[] Utf8, Asset Asset)> assets = [];

        public Identifiers()
        {
            SymbolKey = (ref Utf8JsonReader json) => Named(ref json, symbols, Symbol);
            AssetKey = (ref Utf8JsonReader json) => Named(ref json, assets, Asset);
        }

        /// <summary>Reads the symbol the reader's name or string token holds.</summary>
        public ValueReader<Symbol> SymbolKey { get; }

        /// <summary>Reads the asset the reader's name or string token holds.</summary>
        public ValueReader<Asset> AssetKey { get; }

        public Symbol Symbol(string? text) =>
            Known(symbols, text, t => Id(global::CrossMargin.Ledger.Symbol.ParseStored(t)));

        public Asset Asset(string? text) =>
            Known(assets, text, t => Id(global::CrossMargin.Ledger.Asset.ParseStored(t)));

        private static T Named<T>(ref Utf8JsonReader json, List<(byte[] Utf8, T Value)> known, Func<string?, T> read)
        {
            if (!json.ValueIsEscaped)
                foreach (var (utf8, value) in known)
                    if (json.ValueSpan.SequenceEqual(utf8))
                        return value;
            return read(json.GetString());
        }

        private static T Known<T>(List<(byte[] Utf8, T Value)> known, string? text, Func<string?, T> parse)
        {
            var utf8 = Encoding.UTF8.GetBytes(text ?? "");
            foreach (var (name, value) in known)
                if (name.AsSpan().SequenceEqual(utf8))
                    return value;
            var parsed = parse(text);
            known.Add((utf8, parsed));
            return parsed;
        }
    }
}
