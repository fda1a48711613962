using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;

namespace CrossMargin.Ledger.Application.Stress;

/// <summary>
/// Reads a scenario file: every parameter of a stress study as data (docs/cli.md "Scenario files"). JSON, comments
/// allowed; numbers are read as decimals from their text; a move is a string ending in <c>%</c>; a key the format does
/// not know, a key given twice or a value of the wrong kind is refused, naming its path in the file.
/// </summary>
public static class StressPlanFile
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    /// <summary>The plan the file describes, or the first thing wrong with it.</summary>
    public static Checked<StressPlan> Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            return Checked.Valid(Plan(document.RootElement));
        }
        catch (JsonException e)
        {
            return Checked.Invalid<StressPlan>($"the scenario file is not JSON: {e.Message}");
        }
        catch (PlanException e)
        {
            return Checked.Invalid<StressPlan>(e.Message);
        }
    }

    private sealed class PlanException(string path, string problem) : Exception($"{path}: {problem}");

    private static StressPlan Plan(JsonElement root)
    {
        var fields = Fields(root, "$", "shocks", "path", "impact", "rounds", "policy", "policies", "monteCarlo");
        if (fields.ContainsKey("shocks") && fields.ContainsKey("path"))
            throw new PlanException("$", "give \"shocks\" (one step) or \"path\" (several), not both");
        ImmutableArray<ImmutableArray<Shock>> path =
            fields.TryGetValue("shocks", out var shocks) ? [Step(shocks, "$.shocks")]
            : fields.TryGetValue("path", out var steps)
                ? [.. Array(steps, "$.path").Select((s, i) => Step(s, $"$.path[{i}]"))]
            : [];
        return new StressPlan(
            path,
            fields.TryGetValue("impact", out var impact) ? Impact(impact, "$.impact") : null,
            fields.TryGetValue("rounds", out var rounds)
                ? Integer(rounds, "$.rounds")
                : StressScenario.DefaultMaxRounds,
            fields.TryGetValue("policy", out var policy) ? Policy(policy, "$.policy") : null,
            fields.TryGetValue("policies", out var policies)
                ? [.. Members(policies, "$.policies").Select(p => new PolicyCase(p.Name, Policy(p.Value, p.Path)))]
                : null,
            fields.TryGetValue("monteCarlo", out var monteCarlo)
                ? MonteCarlo(monteCarlo, "$.monteCarlo")
                : MonteCarloPlan.Default
        );
    }

    private static ImmutableArray<Shock> Step(JsonElement step, string path) =>
        [
            .. Members(step, path)
                .Select(m =>
                    m.Value.ValueKind == JsonValueKind.String && m.Value.GetString()!.TrimEnd().EndsWith('%')
                        ? Shock.By(m.Name, Number(m.Value.GetString()!.TrimEnd()[..^1], m.Path) / 100m)
                        : Shock.To(m.Name, Decimal(m.Value, m.Path))
                ),
        ];

    private static ImpactModel Impact(JsonElement impact, string path)
    {
        var fields = Fields(impact, path, "y", "thinning", "markets");
        if (!fields.TryGetValue("markets", out var markets))
            throw new PlanException(path, "\"markets\" is required: each market's volatility and volume");
        var liquidity = new Dictionary<string, MarketLiquidity>(StringComparer.Ordinal);
        foreach (var m in Members(markets, path + ".markets"))
        {
            var figures = Fields(m.Value, m.Path, "volatility", "volume");
            if (!figures.TryGetValue("volatility", out var sigma) || !figures.TryGetValue("volume", out var volume))
                throw new PlanException(m.Path, "give \"volatility\" (daily, a fraction) and \"volume\" (base units)");
            liquidity[m.Name] = new MarketLiquidity(
                Decimal(sigma, m.Path + ".volatility"),
                Decimal(volume, m.Path + ".volume")
            );
        }
        return new ImpactModel(
            fields.TryGetValue("y", out var y) ? Decimal(y, path + ".y") : ImpactModel.DefaultY,
            liquidity
        )
        {
            Thinning = fields.TryGetValue("thinning", out var thinning) ? Decimal(thinning, path + ".thinning") : 0m,
        };
    }

    private static StressPolicy Policy(JsonElement policy, string path)
    {
        var fields = Fields(policy, path, "buffer", "roundCap", "extraFund", "circuitBreaker", "fullClose");
        decimal? Optional(string name) => fields.TryGetValue(name, out var v) ? Decimal(v, $"{path}.{name}") : null;
        var full = fields.TryGetValue("fullClose", out var close) && Boolean(close, path + ".fullClose");
        return new StressPolicy(
            Optional("buffer"),
            Optional("roundCap"),
            Optional("extraFund"),
            Optional("circuitBreaker"),
            full
        );
    }

    private static MonteCarloPlan MonteCarlo(JsonElement element, string path)
    {
        var fields = Fields(element, path, "volatility", "correlation", "degreesOfFreedom", "horizonDays");
        ImmutableArray<ShockedMarket>? markets = fields.TryGetValue("volatility", out var volatility)
            ?
            [
                .. Members(volatility, path + ".volatility")
                    .Select(m => new ShockedMarket(m.Name, Decimal(m.Value, m.Path))),
            ]
            : null;
        var correlations = ImmutableSortedDictionary.CreateBuilder<(string, string), decimal>();
        if (fields.TryGetValue("correlation", out var correlation))
            foreach (var m in Members(correlation, path + ".correlation"))
            {
                var pair = m.Name.Split('/');
                if (pair.Length != 2 || pair.Any(p => p.Length == 0))
                    throw new PlanException(m.Path, "name a pair of markets as \"A/B\"");
                if (correlations.ContainsKey((pair[1], pair[0])))
                    throw new PlanException(m.Path, $"the pair is also given as {pair[1]}/{pair[0]}");
                correlations[(pair[0], pair[1])] = Decimal(m.Value, m.Path);
            }
        decimal? nu = MonteCarloSpec.DefaultDegreesOfFreedom;
        if (fields.TryGetValue("degreesOfFreedom", out var dof))
            nu =
                dof.ValueKind == JsonValueKind.String && dof.GetString() == "normal"
                    ? null
                    : Decimal(dof, path + ".degreesOfFreedom");
        return new MonteCarloPlan(
            markets,
            correlations.ToImmutable(),
            nu,
            fields.TryGetValue("horizonDays", out var horizon) ? Decimal(horizon, path + ".horizonDays") : 1m
        );
    }

    // ---- the JSON ----

    private static Dictionary<string, JsonElement> Fields(JsonElement element, string path, params string[] known)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var m in Members(element, path))
        {
            if (!known.Contains(m.Name, StringComparer.Ordinal))
                throw new PlanException(m.Path, $"not a field here (known: {string.Join(", ", known)})");
            fields[m.Name] = m.Value;
        }
        return fields;
    }

    private static List<(string Name, JsonElement Value, string Path)> Members(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new PlanException(path, $"expected an object, not {Kind(element)}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<(string, JsonElement, string)>();
        foreach (var p in element.EnumerateObject())
        {
            if (!seen.Add(p.Name))
                throw new PlanException($"{path}.{p.Name}", "given twice");
            members.Add((p.Name, p.Value, $"{path}.{p.Name}"));
        }
        return members;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray()
            : throw new PlanException(path, $"expected an array, not {Kind(element)}");

    private static decimal Decimal(JsonElement element, string path) =>
        element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetDecimal(out var d) => d,
            JsonValueKind.String => Number(element.GetString()!, path),
            _ => throw new PlanException(path, $"expected a number, not {Kind(element)}"),
        };

    private static int Integer(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var n)
            ? n
            : throw new PlanException(path, $"expected a whole number, not {element.GetRawText()}");

    private static bool Boolean(JsonElement element, string path) =>
        element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new PlanException(path, $"expected true or false, not {element.GetRawText()}"),
        };

    // a typographic minus is read as a minus
    private static decimal Number(string text, string path) =>
        decimal.TryParse(
            text.Trim().Replace('\u2212', '-'),
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture,
            out var value
        )
            ? value
            : throw new PlanException(path, $"'{text}' is not a number");

    private static string Kind(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"the string {element.GetRawText()}",
            _ => element.GetRawText(),
        };
}
