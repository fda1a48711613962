using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using Newtonsoft.Json;

#pragma warning disable CS1591 // the wire fields are documented in docs/cli.md and by schemas/commands/*.json
namespace CrossMargin.Ledger.Application.Input;

/// <summary>
/// One line of <c>ledger apply</c> input (JSON Lines, camelCase). Each subclass is one <c>type</c>; its
/// schema under <c>schemas/commands/</c> is generated from it. Optional on every line: <c>commandId</c>
/// (idempotency key), <c>at</c> (ISO-8601 UTC), <c>actor</c>, <c>correlationId</c>, <c>causationId</c>.
/// </summary>
public abstract class CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Type { get; set; } = "";
    public string? CommandId { get; set; }
    public string? At { get; set; }
    public string? Actor { get; set; }
    public string? CorrelationId { get; set; }
    public string? CausationId { get; set; }

    /// <summary>The core command this line asks for.</summary>
    public abstract LedgerCommand ToCommand();
}

public sealed class TierLine
{
    [JsonProperty(Required = Required.Always)]
    public decimal Floor { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal Mmr { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal MaxLeverage { get; set; }
    public decimal? MaintenanceAmount { get; set; }
}

public sealed class RatioLine
{
    [JsonProperty(Required = Required.Always)]
    public decimal Floor { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal Ratio { get; set; }
}

/// <summary>An instrument's limits; each field left out takes its default, or on a change the instrument's (docs/cli.md
/// "Limits").</summary>
public sealed class InstrumentLimitsLine
{
    public int? PricePrecision { get; set; }
    public decimal? MaxPrice { get; set; }
    public decimal? MaxQuantity { get; set; }
    public decimal? MaxPositionNotional { get; set; }
    public decimal? PriceBand { get; set; }

    public InstrumentLimitsInput ToInput() =>
        new(PricePrecision, MaxPrice, MaxQuantity, MaxPositionNotional, PriceBand);
}

/// <summary>A collateral asset's limits; each field left out takes its default.</summary>
public sealed class AssetLimitsLine
{
    public int? Precision { get; set; }
    public decimal? MaxPrice { get; set; }
    public decimal? MaxBalance { get; set; }

    public AssetLimitsInput ToInput() => new(Precision, MaxPrice, MaxBalance);
}

public sealed class ListInstrumentLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Symbol { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public string Base { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public string Quote { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public IReadOnlyList<TierLine> Tiers { get; set; } = [];

    [JsonProperty(Required = Required.Always)]
    public decimal TakerFeeRate { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal LiquidationFeeRate { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal QuantityStep { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal TickSize { get; set; }
    public InstrumentLimitsLine? Limits { get; set; }

    public override LedgerCommand ToCommand() =>
        new ListInstrument(
            Symbol,
            Base,
            Quote,
            [.. Tiers.Select(t => new RiskTierInput(t.Floor, t.Mmr, t.MaxLeverage, t.MaintenanceAmount))],
            TakerFeeRate,
            LiquidationFeeRate,
            QuantityStep,
            TickSize,
            Limits?.ToInput()
        );
}

public sealed class ListCollateralLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Asset { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public IReadOnlyList<RatioLine> Ratios { get; set; } = [];
    public AssetLimitsLine? Limits { get; set; }

    public override LedgerCommand ToCommand() =>
        new ListCollateral(
            Asset,
            [.. Ratios.Select(r => new CollateralRatioTier(r.Floor, r.Ratio))],
            Limits?.ToInput()
        );
}

/// <summary>What a deposit and a withdrawal both carry.</summary>
public abstract class AccountAmountLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Account { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public string Asset { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public decimal Amount { get; set; }
}

public sealed class DepositLine : AccountAmountLine
{
    public override LedgerCommand ToCommand() => new Deposit(Account, Asset, Amount);
}

public sealed class WithdrawLine : AccountAmountLine
{
    public override LedgerCommand ToCommand() => new Withdraw(Account, Asset, Amount);
}

public sealed class SetLeverageLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Account { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public string Symbol { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public decimal Leverage { get; set; }

    public override LedgerCommand ToCommand() => new SetLeverage(Account, Symbol, Leverage);
}

public sealed class OpenPositionLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Account { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public string Symbol { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public Side Side { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal Quantity { get; set; }

    [JsonProperty(Required = Required.Always)]
    public decimal Price { get; set; }

    public override LedgerCommand ToCommand() => new OpenPosition(Account, Symbol, Side, Quantity, Price);
}

public sealed class ClosePositionLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Account { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public string Symbol { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public decimal Price { get; set; }
    public decimal? Quantity { get; set; }

    public override LedgerCommand ToCommand() => new ClosePosition(Account, Symbol, Price, Quantity);
}

public sealed class UpdatePriceLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Symbol { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public decimal Price { get; set; }

    public override LedgerCommand ToCommand() => new UpdatePrice(Symbol, Price);
}

public sealed class FundInsuranceLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Asset { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public decimal Amount { get; set; }

    public override LedgerCommand ToCommand() => new FundInsurance(Asset, Amount);
}

public sealed class SetLiquidationPolicyLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public decimal Buffer { get; set; }

    [JsonProperty(Required = Required.Always)]
    public DeficitPolicy DeficitPolicy { get; set; }

    public override LedgerCommand ToCommand() => new SetLiquidationPolicy(Buffer, DeficitPolicy);
}

public sealed class SetInstrumentLiquidationLine : CommandLine
{
    [JsonProperty(Required = Required.Always)]
    public string Symbol { get; set; } = "";

    [JsonProperty(Required = Required.Always)]
    public decimal Slippage { get; set; }
    public decimal? NotionalCap { get; set; }

    public override LedgerCommand ToCommand() => new SetInstrumentLiquidation(Symbol, Slippage, NotionalCap);
}
