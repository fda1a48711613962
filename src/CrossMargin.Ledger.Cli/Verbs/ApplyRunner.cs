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

    /// <summary>
    /// How many consecutive commands without a <c>commandId</c> are decided and appended as one group
    /// (one transaction on PostgreSQL; one by one on SQLite, which commits each).
    /// </summary>
    public const int GroupSize = 100;

    /// <summary>
    /// Runs every line; stops at the first malformed one (the lines before it stay applied). Blank lines
    /// are skipped but counted. Lines with a <c>commandId</c> run alone, so a resend or a reused id is
    /// answered for that line only.
    /// </summary>
    public static async Task<int> RunAsync(IMediator mediator, TextReader input, TextWriter output, CancellationToken cancellationToken,
        Action<LineResult>? observe = null)
    {
        var rejected = false;
        var number = 0;
        var group = new List<(int Number, ParsedLine Parsed)>(GroupSize);
        async Task Emit(LineResult result)
        {
            await output.WriteLineAsync(result.Json.ToString(Formatting.None)).ConfigureAwait(false);
            observe?.Invoke(result);
            rejected |= result.Outcome is CommandOutcome.Rejected;
        }
        async Task Flush()
        {
            if (group.Count == 0) return;
            IReadOnlyList<CommandOutcome> outcomes;
            try
            {
                outcomes = await mediator.Send(new ExecuteCommands([.. group.Select(g => (g.Parsed.Command!, g.Parsed.Context))]), cancellationToken).ConfigureAwait(false);
            }
            catch (CommandsPartlyAppliedException partly)
            {
                // every committed line is reported before the failure propagates
                for (var i = 0; i < partly.Completed.Count; i++)
                    await Emit(new LineResult(group[i].Number, Json(group[i].Number, partly.Completed[i]), partly.Completed[i])).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(partly.InnerException!);
                throw;
            }
            for (var i = 0; i < group.Count; i++) await Emit(new LineResult(group[i].Number, Json(group[i].Number, outcomes[i]), outcomes[i])).ConfigureAwait(false);
            group.Clear();
        }
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parsed = CommandLineParser.Parse(line);
            if (parsed.Command is not null && parsed.Context.CommandId is null)
            {
                group.Add((number, parsed));
                if (group.Count == GroupSize) await Flush().ConfigureAwait(false);
                continue;
            }
            await Flush().ConfigureAwait(false);
            var result = await ApplyLineAsync(mediator, number, line, cancellationToken).ConfigureAwait(false);
            await Emit(result).ConfigureAwait(false);
            if (result.Json["status"]!.Value<string>() == "malformed") return ApplyExit.Malformed;
        }
        await Flush().ConfigureAwait(false);
        return rejected ? ApplyExit.SomeRejected : ApplyExit.Accepted;
    }

    private static JObject Json(int number, CommandOutcome outcome)
    {
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
        return json;
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
            return new LineResult(number, Json(number, outcome), outcome);
        }
        catch (IdempotencyConflictException e)
        {
            return new LineResult(number, new JObject { ["line"] = number, ["status"] = "malformed", ["message"] = $"line {number}: {e.Message}" }, null);
        }
    }
}
