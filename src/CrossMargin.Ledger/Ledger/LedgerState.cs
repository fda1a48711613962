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
        WithAccount(account, Flows, Holders, Held, InsuranceFund, FeeAccount);

    /// <summary>The state with <paramref name="account"/> in place of the account of its id (or added) and the totals
    /// an event moved with it: one copy of the record for all of them (the fold makes one per account event).</summary>
    internal LedgerState WithAccount(
        AccountState account,
        ExternalFlows flows,
        ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>> holders,
        ImmutableSortedDictionary<Asset, decimal> held,
        ImmutableSortedDictionary<Asset, decimal> insuranceFund,
        ImmutableSortedDictionary<Asset, decimal> feeAccount
    ) =>
        Recent is { Count: >= RecentWrites }
            ? this with
            {
                Accounts = Merge(accounts, new Written(account, Recent)),
                Flows = flows,
                Holders = holders,
                Held = held,
                InsuranceFund = insuranceFund,
                FeeAccount = feeAccount,
            }
            : this with
            {
                Recent = new Written(account, Recent),
                Flows = flows,
                Holders = holders,
                Held = held,
                InsuranceFund = insuranceFund,
                FeeAccount = feeAccount,
            };

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
