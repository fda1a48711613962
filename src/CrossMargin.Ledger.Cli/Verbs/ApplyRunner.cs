using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.EventStore.Port;
using Mediator;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>Exit codes of <c>ledger apply</c>; part of the CLI contract.</summary>
public static class ApplyExit
{
    /// <summary>Every line was accepted.</summary>
    public const int Accepted = 0;

    /// <summary>Input was malformed: the line and the reason were printed, the line appended nothing, earlier lines stay.</summary>
    public const int Malformed = 1;

    /// <summary>All lines were well-formed, some were rejected by a rule.</summary>
    public const int SomeRejected = 2;
}

/// <summary>Applies JSON Lines commands in order and prints one JSON object per line.</summary>
public static class ApplyRunner
{
    /// <summary>The outcome of one line.</summary>
    public sealed record LineResult(int Line, JObject Json, CommandOutcome? Outcome);

    /// <summary>Runs every line; stops at the first malformed one. Blank lines are skipped but counted.</summary>
    public static async Task<int> RunAsync(IMediator mediator, TextReader input, TextWriter output, CancellationToken cancellationToken,
        Action<LineResult>? observe = null)
    {
        var rejected = false;
        var number = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var result = await ApplyLineAsync(mediator, number, line, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(result.Json.ToString(Formatting.None)).ConfigureAwait(false);
            observe?.Invoke(result);
            if (result.Json["status"]!.Value<string>() == "malformed") return ApplyExit.Malformed;
            rejected |= result.Outcome is CommandOutcome.Rejected;
        }
        return rejected ? ApplyExit.SomeRejected : ApplyExit.Accepted;
    }

    /// <summary>Parses and executes one line.</summary>
    public static async Task<LineResult> ApplyLineAsync(IMediator mediator, int number, string line, CancellationToken cancellationToken)
    {
        var parsed = CommandLineParser.Parse(line);
        if (parsed.Command is null)
            return new LineResult(number, new JObject { ["line"] = number, ["status"] = "malformed", ["message"] = $"line {number}: {parsed.Error}" }, null);
        try
        {
            var outcome = await mediator.Send(new ExecuteCommand(parsed.Command, parsed.Context), cancellationToken).ConfigureAwait(false);
            var json = outcome switch
            {
                CommandOutcome.Accepted a => new JObject
                {
                    ["line"] = number,
                    ["status"] = "accepted",
                    ["events"] = new JArray(a.Events.Select(LedgerOutput.Event)),
                },
                CommandOutcome.Rejected r => new JObject { ["line"] = number, ["status"] = "rejected", ["code"] = r.Rejection.Code, ["message"] = r.Rejection.Message },
                _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
            };
            if (outcome is CommandOutcome.Accepted { Duplicate: true }) json["duplicate"] = true;
            return new LineResult(number, json, outcome);
        }
        catch (IdempotencyConflictException e)
        {
            return new LineResult(number, new JObject { ["line"] = number, ["status"] = "malformed", ["message"] = $"line {number}: {e.Message}" }, null);
        }
    }
}
