using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// Flows that cross the ledger's boundary, per asset, for the conservation invariant (design §5):
/// Σ account balances + insurance fund + fee account = deposits − withdrawals + realised PnL.
/// </summary>
public sealed record ExternalFlows(
    ImmutableSortedDictionary<Asset, decimal> Deposits,
    ImmutableSortedDictionary<Asset, decimal> Withdrawals,
    ImmutableSortedDictionary<Asset, decimal> RealizedPnl
)
{
    /// <summary>Nothing has flowed yet.</summary>
    public static readonly ExternalFlows None = new(Empty, Empty, Empty);

    /// <summary>Records a deposit of <paramref name="amount"/> (also an insurance-fund top-up).</summary>
    public ExternalFlows Deposit(Asset asset, decimal amount) =>
        this with
        {
            Deposits = LedgerEvolution.Add(Deposits, asset, amount),
        };

    /// <summary>Records a withdrawal.</summary>
    public ExternalFlows Withdraw(Asset asset, decimal amount) =>
        this with
        {
            Withdrawals = LedgerEvolution.Add(Withdrawals, asset, amount),
        };

    /// <summary>Records PnL realised against the market (zero changes nothing).</summary>
    public ExternalFlows Realize(Asset asset, decimal pnl) =>
        pnl == 0m ? this : this with { RealizedPnl = LedgerEvolution.Add(RealizedPnl, asset, pnl) };

    internal static ImmutableSortedDictionary<Asset, decimal> Empty => ImmutableSortedDictionary<Asset, decimal>.Empty;
}

/// <summary>
/// The whole venue as a fold of the log: the market, every account, the insurance fund, the fee
/// account and the external flows. Deciders read it; only <see cref="LedgerEvolution.Evolve"/> builds it.
/// <see cref="Holders"/> indexes which accounts hold a position in each instrument (kept by the fold), so
/// a price event evaluates only the accounts exposed to it.
/// </summary>
public sealed record LedgerState(
    MarketState Market,
    ImmutableSortedDictionary<AccountId, AccountState> Accounts,
    ImmutableSortedDictionary<Asset, decimal> InsuranceFund,
    ImmutableSortedDictionary<Asset, decimal> FeeAccount,
    ExternalFlows Flows,
    ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>> Holders
)
{
    /// <summary>How many account writes a state keeps beside its map before <see cref="WithAccount(AccountState)"/>
    /// merges them into it.</summary>
    private const int RecentWrites = 8;

    /// <summary>How many changes of the holders index a state keeps beside it before a move merges them into
    /// it.</summary>
    private const int HolderChanges = 1024;

    private readonly ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>> holders = Holders;

    /// <summary>The accounts holding a position, per instrument that has ever had one moved (an entry may be
    /// empty).</summary>
    public ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>> Holders
    {
        get => Holding is null ? holders : Holding.Over(holders);
        init
        {
            holders = value;
            Holding = null;
        }
    }

    /// <summary>
    /// The positions opened and closed since the holders index was last merged, the newest first, fewer than
    /// <see cref="HolderChanges"/>. Each change written into the index would copy a path of about 17 nodes of a
    /// 100 000-account set; a liquidation closes every position it takes, and a stress study's path closes thousands
    /// (design §9). <see cref="Holders"/> merges on demand, from the newest change a merge was kept for.
    /// </summary>
    private HolderChange? Holding { get; init; }

    /// <summary>One change of the holders index, in a list shared by every state made from the one that made it (a
    /// reference, as <see cref="Written"/> is).</summary>
    private sealed class HolderChange(Symbol symbol, AccountId account, bool holds, HolderChange? next)
    {
        private ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>>? merged;

        public Symbol Symbol { get; } = symbol;
        public AccountId Account { get; } = account;

        /// <summary>Whether the account holds a position in the instrument after the change.</summary>
        public bool Holds { get; } = holds;
        public HolderChange? Next { get; } = next;
        public int Count { get; } = (next?.Count ?? 0) + 1;

        /// <summary><paramref name="holders"/> (the index the oldest change was made beside) with this change and
        /// every one before it, kept once made: a merge starts from the newest change whose merge was kept, so a state
        /// asked again and again after a change or two merges only those (two threads asking at once may both merge;
        /// the first to finish is kept).</summary>
        public ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>> Over(
            ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>> holders
        )
        {
            var made = Volatile.Read(ref merged);
            if (made is not null)
                return made;
            var newestFirst = new List<HolderChange>();
            var from = holders;
            for (var c = this; c is not null; c = c.Next)
            {
                if (Volatile.Read(ref c.merged) is { } kept)
                {
                    from = kept;
                    break;
                }
                newestFirst.Add(c);
            }
            // a builder per instrument copies each path once and then changes its own copy
            var builders = new Dictionary<Symbol, ImmutableSortedSet<AccountId>.Builder>();
            for (var i = newestFirst.Count - 1; i >= 0; i--)
            {
                var change = newestFirst[i];
                if (!builders.TryGetValue(change.Symbol, out var set))
                    builders[change.Symbol] = set = (
                        from.TryGetValue(change.Symbol, out var had) ? had : ImmutableSortedSet<AccountId>.Empty
                    ).ToBuilder();
                if (change.Holds)
                    set.Add(change.Account);
                else
                    set.Remove(change.Account);
            }
            made = from.SetItems(builders.Select(b => KeyValuePair.Create(b.Key, b.Value.ToImmutable())));
            return Interlocked.CompareExchange(ref merged, made, null) ?? made;
        }
    }

    private readonly ImmutableSortedDictionary<AccountId, AccountState> accounts = Accounts;

    /// <summary>Every account, in id order.</summary>
    public ImmutableSortedDictionary<AccountId, AccountState> Accounts
    {
        get => Recent is null ? accounts : Recent.Over(accounts);
        init
        {
            accounts = value;
            Recent = null;
        }
    }

    /// <summary>
    /// The accounts written since the map was last merged, the newest first, at most <see cref="RecentWrites"/>.
    /// The fold writes the account of each account event it folds, and a liquidation's events write the same account
    /// again and again: writing each into the map would copy a path of about 17 nodes per event, merging a few together
    /// copies each path once (design §9). <see cref="Account"/> looks here first; <see cref="Accounts"/> merges on
    /// demand.
    /// </summary>
    private Written? Recent { get; init; }

    /// <summary>One write, in a list shared by every state made from the one that wrote it (a reference, so the
    /// record's equality compares it as it compares the maps; a later write starts a new head over it).</summary>
    private sealed class Written(AccountState account, Written? next)
    {
        private ImmutableSortedDictionary<AccountId, AccountState>? merged;

        public AccountState Account { get; } = account;
        public Written? Next { get; } = next;
        public int Count { get; } = (next?.Count ?? 0) + 1;

        /// <summary><paramref name="accounts"/> with these writes merged, kept once made: a list is only ever beside
        /// the map it was written over, so every state whose list starts at this write shares the one result (two
        /// threads asking at once may both merge; the first to finish is kept).</summary>
        public ImmutableSortedDictionary<AccountId, AccountState> Over(
            ImmutableSortedDictionary<AccountId, AccountState> accounts
        )
        {
            var made = Volatile.Read(ref merged);
            if (made is not null)
                return made;
            made = Merge(accounts, this);
            return Interlocked.CompareExchange(ref merged, made, null) ?? made;
        }
    }

    /// <summary>The state with <paramref name="account"/> in place of the account of its id (or added).</summary>
    internal LedgerState WithAccount(AccountState account) =>
        WithAccount(account, Flows, Held, InsuranceFund, FeeAccount);

    /// <summary>
    /// The state with <paramref name="account"/> in place of the account of its id (or added) and the totals an event
    /// moved with it: one copy of the record for all of them (the fold makes one per account event).
    /// <paramref name="holding"/>, when given, is a position of the account opened (true) or closed (false) in the
    /// instrument: the holders index changes with it.
    /// </summary>
    internal LedgerState WithAccount(
        AccountState account,
        ExternalFlows flows,
        ImmutableSortedDictionary<Asset, decimal> held,
        ImmutableSortedDictionary<Asset, decimal> insuranceFund,
        ImmutableSortedDictionary<Asset, decimal> feeAccount,
        (Symbol Symbol, bool Holds)? holding = null
    )
    {
        var (index, pending) = (holders, Holding);
        if (holding is var (symbol, holds))
        {
            pending = new HolderChange(symbol, account.Id, holds, pending);
            if (pending.Count >= HolderChanges)
                (index, pending) = (pending.Over(index), null);
        }
        var (map, recent) = Recent is { Count: >= RecentWrites }
            ? (Merge(accounts, new Written(account, Recent)), null)
            : (accounts, new Written(account, Recent));
        // Accounts before Recent and Holders before Holding: setting a map clears the writes kept beside it
        return this with
        {
            Accounts = map,
            Recent = recent,
            Flows = flows,
            Holders = index,
            Holding = pending,
            Held = held,
            InsuranceFund = insuranceFund,
            FeeAccount = feeAccount,
        };
    }

    /// <summary>Whether the holders index has an entry for <paramref name="symbol"/> (a position in it was ever moved),
    /// without merging the changes beside it.</summary>
    internal bool ListsHolders(Symbol symbol)
    {
        for (var c = Holding; c is not null; c = c.Next)
            if (c.Symbol == symbol)
                return true;
        return holders.ContainsKey(symbol);
    }

    private static ImmutableSortedDictionary<AccountId, AccountState> Merge(
        ImmutableSortedDictionary<AccountId, AccountState> accounts,
        Written recent
    )
    {
        var oldestFirst = new AccountState[recent.Count];
        for (var (w, i) = (recent, recent.Count - 1); w is not null; (w, i) = (w.Next, i - 1))
            oldestFirst[i] = w.Account;
        // a builder copies each path once and then changes its own copy
        var builder = accounts.ToBuilder();
        foreach (var account in oldestFirst)
            builder[account.Id] = account;
        return builder.ToImmutable();
    }

    /// <summary>Before the first event.</summary>
    public static readonly LedgerState Initial = new(
        MarketState.Empty,
        ImmutableSortedDictionary<AccountId, AccountState>.Empty,
        ExternalFlows.Empty,
        ExternalFlows.Empty,
        ExternalFlows.None,
        ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>>.Empty
    );

    /// <summary>
    /// Σ of every account's balance per asset, kept by the fold, so the append guard checks conservation
    /// without summing every account (<see cref="Invariants.Guard"/>); <c>verify</c> sums them afresh.
    /// </summary>
    public ImmutableSortedDictionary<Asset, decimal> Held { get; init; } = ExternalFlows.Empty;

    /// <summary>
    /// Which accounts are liquidatable, kept by the fold once the liquidation engine has built it (null before: a
    /// replay that decides nothing never pays for it). A cache of the kernel's verdicts, never an input to them.
    /// </summary>
    public TriggerIndex? Triggers { get; init; }

    /// <summary>The ADL rankings the running cascade has asked for (null outside one). A cache, like
    /// <see cref="Triggers"/>.</summary>
    public AdlBook? Adl { get; init; }

    /// <summary>The account, or an empty one when it has no events yet.</summary>
    public AccountState Account(AccountId id)
    {
        for (var w = Recent; w is not null; w = w.Next)
            if (w.Account.Id == id)
                return w.Account;
        return accounts.TryGetValue(id, out var a) ? a : AccountState.Open(id);
    }

    /// <summary>Accounts holding a position in <paramref name="symbol"/>, in account-id order.</summary>
    public ImmutableSortedSet<AccountId> HoldersOf(Symbol symbol) =>
        Holders.TryGetValue(symbol, out var set) ? set : ImmutableSortedSet<AccountId>.Empty;

    /// <summary>The insurance fund's balance of the settlement asset.</summary>
    public decimal InsuranceFundBalance => InsuranceFund.GetValueOrDefault(Venue.SettlementAsset);
}
