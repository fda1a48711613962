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
/// </summary>
public sealed record StateSnapshot(long Position, Digest Seal, Digest StateHash, string Text)
{
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
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return new StateSnapshot(position, seal, Digest.Of(buffer.WrittenSpan), text);
    }

    /// <summary>The hash of a state's canonical form (what <see cref="StateHash"/> holds for it).</summary>
    public static Digest HashOf(
        LedgerState state,
        IReadOnlyDictionary<string, long> streams,
        long position,
        Digest seal
    ) => Take(state, streams, position, seal).StateHash;

    /// <summary>
    /// The state and stream versions the snapshot holds, after checking its hash, its format and that its text
    /// names its own position and seal.
    /// </summary>
    /// <exception cref="InvalidDataException">the snapshot fails a check; the message says which.</exception>
    public (LedgerState State, IReadOnlyDictionary<string, long> Streams) Restore()
    {
        if (Digest.OfUtf8(Text) != StateHash)
            throw new InvalidDataException($"the snapshot at position {Position} does not match its hash");
        try
        {
            using var document = JsonDocument.Parse(Text);
            var root = document.RootElement;
            if (root.GetProperty("format").GetInt32() != Format)
                throw new InvalidDataException(
                    $"the snapshot at position {Position} has format {root.GetProperty("format")}, not {Format}"
                );
            if (root.GetProperty("position").GetInt64() != Position || root.GetProperty("seal").GetString() != Seal.Hex)
                throw new InvalidDataException(
                    $"the snapshot stored at position {Position} names another position or seal"
                );
            return (ReadState(root), ReadStreams(root.GetProperty("streams")));
        }
        catch (Exception e)
            when (e
                    is JsonException
                        or KeyNotFoundException
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

    private static void Amounts(Utf8JsonWriter json, string name, ImmutableSortedDictionary<Asset, decimal> amounts)
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

    // ---- reading ----

    private static LedgerState ReadState(JsonElement root)
    {
        var market = root.GetProperty("market");
        var instruments = ImmutableSortedDictionary.CreateBuilder<Symbol, InstrumentState>();
        foreach (var i in market.GetProperty("instruments").EnumerateArray())
        {
            var instrument = ReadInstrument(i);
            instruments.Add(instrument.Spec.Symbol, instrument);
        }
        var collateral = ImmutableSortedDictionary.CreateBuilder<Asset, CollateralState>();
        foreach (var c in market.GetProperty("collateral").EnumerateArray())
        {
            var state = ReadCollateral(c);
            collateral.Add(state.Asset, state);
        }
        var policy = market.GetProperty("policy");
        var accounts = ImmutableSortedDictionary.CreateBuilder<AccountId, AccountState>();
        foreach (var a in root.GetProperty("accounts").EnumerateArray())
        {
            var account = ReadAccount(a);
            accounts.Add(account.Id, account);
        }
        var flows = root.GetProperty("flows");
        var holders = ImmutableDictionary.CreateBuilder<Symbol, ImmutableSortedSet<AccountId>>();
        foreach (var h in root.GetProperty("holders").EnumerateObject())
            holders.Add(
                Id(Symbol.ParseStored(h.Name)),
                ImmutableSortedSet.CreateRange(
                    h.Value.EnumerateArray().Select(v => Id(AccountId.ParseStored(v.GetString())))
                )
            );
        return new LedgerState(
            new MarketState(
                instruments.ToImmutable(),
                collateral.ToImmutable(),
                new LiquidationPolicy(
                    Decimal(policy.GetProperty("buffer")),
                    Enum.Parse<DeficitPolicy>(policy.GetProperty("deficitPolicy").GetString()!)
                )
            ),
            accounts.ToImmutable(),
            Amounts(root.GetProperty("insuranceFund")),
            Amounts(root.GetProperty("feeAccount")),
            new ExternalFlows(
                Amounts(flows.GetProperty("deposits")),
                Amounts(flows.GetProperty("withdrawals")),
                Amounts(flows.GetProperty("realizedPnl"))
            ),
            holders.ToImmutable()
        )
        {
            Held = Amounts(root.GetProperty("held")),
        };
    }

    private static InstrumentState ReadInstrument(JsonElement i)
    {
        var limits = i.GetProperty("limits");
        var spec = new InstrumentSpec(
            Id(Symbol.ParseStored(i.GetProperty("symbol").GetString())),
            Id(Asset.ParseStored(i.GetProperty("base").GetString())),
            Id(Asset.ParseStored(i.GetProperty("quote").GetString())),
            RiskTierSchedule.FromRecorded([
                .. i.GetProperty("tiers")
                    .EnumerateArray()
                    .Select(t => new RiskTier(
                        Decimal(t.GetProperty("floor")),
                        NullableDecimal(t.GetProperty("cap")),
                        Decimal(t.GetProperty("mmr")),
                        Decimal(t.GetProperty("maxLeverage")),
                        Decimal(t.GetProperty("maintenanceAmount"))
                    )),
            ]),
            Decimal(i.GetProperty("takerFeeRate")),
            Decimal(i.GetProperty("liquidationFeeRate")),
            Decimal(i.GetProperty("quantityStep")),
            Decimal(i.GetProperty("tickSize")),
            new InstrumentLimits(
                limits.GetProperty("pricePrecision").GetInt32(),
                Decimal(limits.GetProperty("maxPrice")),
                Decimal(limits.GetProperty("maxQuantity")),
                Decimal(limits.GetProperty("maxPositionNotional")),
                Decimal(limits.GetProperty("priceBand"))
            )
        )
        {
            LiquidationSlippage = Decimal(i.GetProperty("liquidationSlippage")),
            LiquidationNotionalCap = NullableDecimal(i.GetProperty("liquidationNotionalCap")),
        };
        return new InstrumentState(spec, NullableDecimal(i.GetProperty("mark")));
    }

    private static CollateralState ReadCollateral(JsonElement c)
    {
        var limits = c.GetProperty("limits");
        return new CollateralState(
            Id(Asset.ParseStored(c.GetProperty("asset").GetString())),
            CollateralSchedule.FromRecorded([
                .. c.GetProperty("bands")
                    .EnumerateArray()
                    .Select(b => new CollateralRatioTier(
                        Decimal(b.GetProperty("floor")),
                        Decimal(b.GetProperty("ratio"))
                    )),
            ]),
            NullableDecimal(c.GetProperty("indexPrice")),
            new AssetLimits(
                limits.GetProperty("precision").GetInt32(),
                Decimal(limits.GetProperty("maxPrice")),
                Decimal(limits.GetProperty("maxBalance"))
            )
        );
    }

    private static AccountState ReadAccount(JsonElement a)
    {
        var positions = ImmutableSortedDictionary.CreateBuilder<Symbol, Position>();
        foreach (var p in a.GetProperty("positions").EnumerateObject())
            positions.Add(
                Id(Symbol.ParseStored(p.Name)),
                new Position(Decimal(p.Value.GetProperty("size")), Decimal(p.Value.GetProperty("entryPrice")))
            );
        var leverage = ImmutableSortedDictionary.CreateBuilder<Symbol, decimal>();
        foreach (var l in a.GetProperty("leverage").EnumerateObject())
            leverage.Add(Id(Symbol.ParseStored(l.Name)), Decimal(l.Value));
        return new AccountState(
            Id(AccountId.ParseStored(a.GetProperty("id").GetString())),
            Amounts(a.GetProperty("balances")),
            positions.ToImmutable(),
            leverage.ToImmutable(),
            a.GetProperty("liquidations").GetInt32()
        );
    }

    private static ImmutableSortedDictionary<Asset, decimal> Amounts(JsonElement amounts)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<Asset, decimal>();
        foreach (var amount in amounts.EnumerateObject())
            builder.Add(Id(Asset.ParseStored(amount.Name)), Decimal(amount.Value));
        return builder.ToImmutable();
    }

    private static Dictionary<string, long> ReadStreams(JsonElement streams)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var stream in streams.EnumerateObject())
            versions.Add(stream.Name, stream.Value.GetInt64());
        return versions;
    }

    private static decimal Decimal(JsonElement value) =>
        decimal.Parse(
            value.GetString()!,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture
        );

    private static decimal? NullableDecimal(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? null : Decimal(value);

    private static T Id<T>(Checked<T> parsed) =>
        parsed.Is(out var value, out var problem) ? value : throw new FormatException(problem);
}
