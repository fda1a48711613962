using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Deciders;

/// <summary><see cref="Invariants.Violations"/> recomputes the sums from the accounts: a state whose balances were
/// altered behind the fold's back is caught, naming the asset and the accounts.</summary>
public sealed class InvariantSpecs
{
    private static LedgerState Venue() =>
        Apply(
            LedgerState.Initial,
            ListBtcUsdt(),
            ListBtcCollateral(),
            new FundInsurance(Usdt, 100m),
            new Deposit(Alice, Usdt, 1_000m),
            new Deposit(Bob, Usdt, 2_000m),
            new Deposit(Alice, Btc, 1m),
            new Deposit(Bob, Btc, 2m)
        );

    private static LedgerState Altered(LedgerState state, string account, string asset, decimal balance) =>
        state with
        {
            Accounts = state.Accounts.SetItem(
                account,
                state.Accounts[account] with
                {
                    Balances = state.Accounts[account].Balances.SetItem(asset, balance),
                }
            ),
        };

    [Test]
    public void A_folded_state_breaks_nothing()
    {
        Assert.That(Invariants.Violations(Venue()), Is.Empty);
    }

    [Test]
    public void Balances_altered_behind_the_folds_back_are_named_by_asset_then_account()
    {
        var state = Altered(Altered(Venue(), Bob, Btc, -0.5m), Alice, Btc, -0.25m);
        state = Altered(state, Alice, Usdt, 1_000.00000001m);
        Assert.That(
            Invariants.Violations(state),
            Is.EqualTo(
                new[]
                {
                    "conservation of BTC: balances hold -0.75, deposits − withdrawals + realised PnL = 3",
                    "alice holds -0.25 BTC, a non-settlement asset",
                    "bob holds -0.5 BTC, a non-settlement asset",
                    "conservation of USDT: balances hold 3100.00000001, deposits − withdrawals + realised PnL = 3100",
                }
            )
        );
    }

    [Test]
    public void A_negative_fund_is_named()
    {
        var venue = Venue();
        var state = venue with { InsuranceFund = venue.InsuranceFund.SetItem(Usdt, -1m) };
        Assert.That(Invariants.Violations(state), Has.Some.EqualTo("insurance fund holds -1 USDT"));
    }
}
