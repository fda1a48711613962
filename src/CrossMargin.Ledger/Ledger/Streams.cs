namespace CrossMargin.Ledger.Ledger;

/// <summary>The stream names of design §6; stable, part of the stored log.</summary>
public static class Streams
{
    /// <summary>The venue's insurance fund.</summary>
    public const string InsuranceFund = "insurance-fund";

    /// <summary>Venue-wide parameters (the liquidation policy).</summary>
    public const string Venue = "venue";

    /// <summary>The venue's trading-fee account.</summary>
    public const string FeeAccount = "fee-account";

    /// <summary>What every account stream's name starts with.</summary>
    public const string AccountPrefix = "account-";

    /// <summary>An account's stream.</summary>
    public static string Account(AccountId id) => AccountPrefix + id.Value;

    /// <summary>The account whose stream <paramref name="stream"/> is, or null for any other stream.</summary>
    public static AccountId? AccountOf(string stream) =>
        stream.StartsWith(AccountPrefix, StringComparison.Ordinal)
        && AccountId.Parse(stream[AccountPrefix.Length..]).Is(out var id, out _)
            ? id
            : default(AccountId?);

    /// <summary>The accounts whose streams <paramref name="events"/> append to, each once, in the order the events
    /// first name them (a cascade names an account's stream many times: each name is parsed once, and a run of
    /// events naming the same string, as a liquidation's do, is looked up once).</summary>
    public static IEnumerable<AccountId> AccountsOf(IEnumerable<Emitted> events)
    {
        var streams = new HashSet<string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var e in events)
        {
            if (ReferenceEquals(e.Stream, last))
                continue;
            last = e.Stream;
            if (streams.Add(last) && AccountOf(last) is { } id)
                yield return id;
        }
    }

    /// <summary>An instrument's stream (listing, parameter changes, marks).</summary>
    public static string Instrument(Symbol symbol) => "instrument-" + symbol.Value;

    /// <summary>A collateral asset's stream (listing, haircuts, index prices).</summary>
    public static string Asset(Asset asset) => "asset-" + asset.Value;
}

/// <summary>Venue-wide constants that are not parameters: they never change over a log's life.</summary>
public static class Venue
{
    /// <summary>The asset PnL, fees and margin are measured in; it counts 1:1 as collateral.</summary>
    public static readonly Asset SettlementAsset = Asset.Parse("USDT").Value;
}
