using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.EventStore.Snapshots;

/// <summary>Writes a state in the canonical form of <see cref="StateSnapshot"/>, in the order docs/data-formats.md
/// gives: every map in its keys' order, the holders as positions in the account list, the streams by name.</summary>
internal static class SnapshotWriter
{
    public static byte[] Write(LedgerState state, IReadOnlyDictionary<string, long> streams, long position, Digest seal)
    {
        // the stress lab's full-close policy is set by no command, so no folded state holds it: a state that does is
        // a what-if, and a what-if never becomes a snapshot
        if (state.Market.Policy.CloseInFull)
            throw new InvalidOperationException("a what-if state (the full-close policy) is never snapshotted");
        // about 120 bytes per account and 30 per stream on a venue
        var bytes = new SnapshotBytes(1 << 16);
        StateSnapshot.WriteHeader(bytes, position, seal);

        bytes.Int32(state.Market.Instruments.Count);
        foreach (var (_, instrument) in state.Market.Instruments)
            Instrument(bytes, instrument);
        bytes.Int32(state.Market.Collateral.Count);
        foreach (var (_, collateral) in state.Market.Collateral)
            Collateral(bytes, collateral);
        bytes.Decimal(state.Market.Policy.Buffer);
        bytes.Text(state.Market.Policy.DeficitPolicy.ToString());

        var accounts = state.Accounts;
        var ids = new AccountId[accounts.Count];
        bytes.Int32(accounts.Count);
        var n = 0;
        foreach (var (id, account) in accounts)
        {
            ids[n++] = id;
            Account(bytes, account);
        }

        Amounts(bytes, state.InsuranceFund);
        Amounts(bytes, state.FeeAccount);
        Amounts(bytes, state.Flows.Deposits);
        Amounts(bytes, state.Flows.Withdrawals);
        Amounts(bytes, state.Flows.RealizedPnl);
        Amounts(bytes, state.Held);

        var holders = state.Holders.OrderBy(h => h.Key.Value, StringComparer.Ordinal).ToList();
        bytes.Int32(holders.Count);
        foreach (var (symbol, set) in holders)
        {
            bytes.Text(symbol.Value);
            bytes.Int32(set.Count);
            // both in id order: one walk along the accounts finds each holder's place
            var at = 0;
            foreach (var holder in set)
            {
                while (at < ids.Length && ids[at].CompareTo(holder) < 0)
                    at++;
                if (at == ids.Length || ids[at] != holder)
                    throw new InvalidOperationException(
                        $"the holders of {symbol} name {holder}, which the state holds no account for"
                    );
                bytes.Int32(at);
            }
        }

        var ordered = streams.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        bytes.Int32(ordered.Count);
        foreach (var (stream, version) in ordered)
        {
            bytes.Text(stream);
            bytes.Int64(version);
        }
        return bytes.ToArray();
    }

    private static void Instrument(SnapshotBytes bytes, InstrumentState instrument)
    {
        var spec = instrument.Spec;
        bytes.Text(spec.Symbol.Value);
        bytes.Text(spec.Base.Value);
        bytes.Text(spec.Quote.Value);
        bytes.Int32(spec.Tiers.Tiers.Length);
        foreach (var tier in spec.Tiers.Tiers)
        {
            bytes.Decimal(tier.Floor);
            bytes.OptionalDecimal(tier.Cap);
            bytes.Decimal(tier.Mmr);
            bytes.Decimal(tier.MaxLeverage);
            bytes.Decimal(tier.MaintenanceAmount);
        }
        bytes.Decimal(spec.TakerFeeRate);
        bytes.Decimal(spec.LiquidationFeeRate);
        bytes.Decimal(spec.QuantityStep);
        bytes.Decimal(spec.TickSize);
        bytes.Int32(spec.Limits.PricePrecision);
        bytes.Decimal(spec.Limits.MaxPrice);
        bytes.Decimal(spec.Limits.MaxQuantity);
        bytes.Decimal(spec.Limits.MaxPositionNotional);
        bytes.Decimal(spec.Limits.PriceBand);
        bytes.Decimal(spec.LiquidationSlippage);
        bytes.OptionalDecimal(spec.LiquidationNotionalCap);
        bytes.OptionalDecimal(instrument.Mark);
    }

    private static void Collateral(SnapshotBytes bytes, CollateralState collateral)
    {
        bytes.Text(collateral.Asset.Value);
        bytes.Int32(collateral.Schedule.Bands.Length);
        foreach (var band in collateral.Schedule.Bands)
        {
            bytes.Decimal(band.Floor);
            bytes.Decimal(band.Ratio);
        }
        bytes.OptionalDecimal(collateral.IndexPrice);
        bytes.Int32(collateral.Limits.Precision);
        bytes.Decimal(collateral.Limits.MaxPrice);
        bytes.Decimal(collateral.Limits.MaxBalance);
    }

    private static void Account(SnapshotBytes bytes, AccountState account)
    {
        bytes.Text(account.Id.Value);
        bytes.Int32(account.Balances.Count);
        foreach (var (asset, balance) in account.Balances)
        {
            bytes.Text(asset.Value);
            bytes.Decimal(balance);
        }
        bytes.Int32(account.Positions.Count);
        foreach (var (symbol, position) in account.Positions)
        {
            bytes.Text(symbol.Value);
            bytes.Decimal(position.Size);
            bytes.Decimal(position.EntryPrice);
        }
        bytes.Int32(account.Leverage.Count);
        foreach (var (symbol, leverage) in account.Leverage)
        {
            bytes.Text(symbol.Value);
            bytes.Decimal(leverage);
        }
        bytes.Int32(account.Liquidations);
    }

    private static void Amounts(SnapshotBytes bytes, ImmutableSortedDictionary<Asset, decimal> amounts)
    {
        bytes.Int32(amounts.Count);
        foreach (var (asset, amount) in amounts)
        {
            bytes.Text(asset.Value);
            bytes.Decimal(amount);
        }
    }
}
