using System.CommandLine;
using CrossMargin.Ledger.Application.Audit;
using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger verify</c>: both hash chains and the ledger invariants.</summary>
public static class VerifyVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var reexecute = new Option<bool>("--reexecute")
        {
            Description =
                "also replay the input events through the liquidation engine and compare its derived events with the "
                + "recorded ones",
        };
        var anchor = new Option<string?>("--anchor")
        {
            Description = "an anchor file (`ledger anchor`): prove the log still holds every signed head in it",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "the Ed25519 public key the anchors must be signed with (PEM); required with --anchor",
        };
        var command = new Command(
            "verify",
            "Check the per-stream hash chain, the seal chain, the command records, stream heads and conservation "
                + "(with --anchor the signed heads, with --reexecute the liquidation engine); print OK with counts "
                + "or the "
                + "first problem (exit 1)"
        )
        {
            reexecute,
            anchor,
            publicKey,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var (anchorPath, keyPath) = (parse.GetValue(anchor), parse.GetValue(publicKey));
                if (anchorPath is not null && keyPath is null)
                    return Cli.Fail(
                        "--anchor needs --public-key: an anchor proves nothing unless its signer's key is known in "
                            + "advance"
                    );
                Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters? key = null;
                string[] anchorLines = [];
                if (anchorPath is not null)
                {
                    if (!File.Exists(anchorPath))
                        return Cli.Fail($"--anchor: there is no anchor file at {Path.GetFullPath(anchorPath)}");
                    if (!File.Exists(keyPath))
                        return Cli.Fail($"--public-key: there is no key file at {Path.GetFullPath(keyPath!)}");
                    try
                    {
                        key = Anchors.ReadPublicKey(await File.ReadAllTextAsync(keyPath!, ct).ConfigureAwait(false));
                    }
                    catch (FormatException e)
                    {
                        return Cli.Fail($"--public-key {keyPath}: {e.Message}");
                    }
                    anchorLines = await File.ReadAllLinesAsync(anchorPath, ct).ConfigureAwait(false);
                }
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                // every check below reads one committed state, however busy the writers are
                await using var snapshot = host.Store is ISnapshotReads reads
                    ? await reads.BeginSnapshotAsync(ct).ConfigureAwait(false)
                    : null;
                var chains = await host.Mediator.Send(new VerifyChains(), ct).ConfigureAwait(false);
                if (!chains.Intact)
                    return Cli.Fail(
                        chains.BrokenAt is { } at
                            ? $"chain broken at global position {at}: {chains.Problem}"
                            : $"store damaged: {chains.Problem}"
                    );

                var (state, position) = await LedgerReplay.StateAtAsync(host.Store, null, ct).ConfigureAwait(false);
                var violations = Invariants.Violations(state);
                if (violations.Count > 0)
                    return Cli.Fail($"invariant broken at global position {position}: {string.Join("; ", violations)}");
                Console.WriteLine(
                    $"OK: {chains.EventsChecked} events and {chains.SealsChecked} seals verified, "
                        + $"{chains.CommandsChecked} command records and {chains.StreamsChecked} stream heads match "
                        + $"them; "
                        + $"conservation holds at global position {position}"
                );
                var snapshotAudit = await SnapshotAudit.RunAsync(host.Store, ct).ConfigureAwait(false);
                if (!snapshotAudit.Holds)
                    return Cli.Fail(snapshotAudit.Problem!);
                if (snapshotAudit.Position is { } snapshotPosition)
                    Console.WriteLine(
                        $"OK: the snapshot at global position {snapshotPosition} is the state a replay gives there"
                    );
                if (chains.Unsealed > 0)
                    Console.WriteLine(
                        $"NOT SEALED YET: the {chains.Unsealed} newest event(s), after global position "
                            + $"{chains.SealedThrough}, wait for the seal follower "
                            + "(verify only reads, it never seals; any writer verb, e.g. `ledger projections "
                            + "status`, runs it); their stream hash chains are verified above"
                    );
                if (key is not null)
                {
                    var anchored = await Anchors.VerifyAsync(host.Store, anchorLines, key, ct).ConfigureAwait(false);
                    if (!anchored.Holds)
                        return Cli.Fail(anchored.Problem!);
                    if (anchored.Latest is null)
                        return Cli.Fail($"{anchorPath} holds no anchor");
                    Console.WriteLine(
                        $"OK: {anchored.Verified} anchor(s) hold; the latest signs global position "
                            + $"{anchored.Latest.GlobalPosition} on {anchored.Latest.AnchoredAt} "
                            + $"({anchored.Latest.Store}); the log continues to {position}"
                    );
                }
                if (!parse.GetValue(reexecute))
                    return ExitCodes.Ok;
                var audit = await host.Mediator.Send(new Reexecute(), ct).ConfigureAwait(false);
                if (!audit.Agrees)
                {
                    await Console
                        .Error.WriteLineAsync(
                            $"re-execution diverges at global position {audit.DivergedAt}:\n  expected "
                                + $"{audit.Expected}\n  recorded {audit.Recorded}"
                        )
                        .ConfigureAwait(false);
                    return ExitCodes.Invalid;
                }
                Console.WriteLine(
                    $"OK: re-execution re-derived all {audit.DerivedEvents} derived events of "
                        + $"{audit.Liquidations} liquidation(s) from {audit.Triggers} price and parameter events"
                );
                foreach (var (version, skipped) in audit.NotReexecuted)
                    Console.WriteLine(
                        $"NOT RE-EXECUTED: {skipped.Triggers} price and parameter events with "
                            + $"{skipped.DerivedEvents} derived events "
                            + $"({skipped.Liquidations} liquidation(s)) were decided under liquidation rules "
                            + $"v{version}; this build executes v{LiquidationRules.Current} only, "
                            + "so they are folded as recorded (their hash chains are verified above)"
                    );
                var rejections = await RejectionAudit.RunAsync(host.Store, ct).ConfigureAwait(false);
                if (!rejections.Agrees)
                    return Cli.Fail($"re-execution diverges: {rejections.Problem}");
                Console.WriteLine(
                    $"OK: {rejections.Checked} recorded rejection(s) decided again at their positions, each rejected "
                        + $"by the same rule"
                );
                return ExitCodes.Ok;
            }
        );
        return command;
    }
}
