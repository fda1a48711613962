using System.CommandLine;
using CrossMargin.Ledger.Application.Audit;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.Hosting;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger anchor</c>: sign the log's head into a file outside the database; <c>ledger anchor keygen</c>:
/// make the key.</summary>
public static class AnchorVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var key = new Option<string>("--key")
        {
            Description =
                "the Ed25519 private key (PEM, PKCS #8; `ledger anchor keygen` or `openssl genpkey -algorithm "
                + "ed25519` makes one)",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description =
                "the anchor file to append the signed line to (JSON Lines; keep it outside the database, hand it to "
                + "auditors)",
            Required = true,
        };
        var command = new Command(
            "anchor",
            "Sign the log's head (last global position and seal, the time, the store) with an Ed25519 key and append "
                + "it to a file outside the database; `verify --anchor` later proves the log still holds it"
        )
        {
            key,
            to,
        };
        command.Subcommands.Add(KeyGen());
        command.SetAction(
            async (parse, ct) =>
            {
                var keyPath = parse.GetValue(key)!;
                if (!File.Exists(keyPath))
                    return Cli.Fail($"--key: there is no key file at {Path.GetFullPath(keyPath)}");
                Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters privateKey;
                try
                {
                    privateKey = Anchors.ReadPrivateKey(await File.ReadAllTextAsync(keyPath, ct).ConfigureAwait(false));
                }
                catch (FormatException e)
                {
                    return Cli.Fail($"--key {keyPath}: {e.Message}");
                }
                var resolved = StoreLocation.Resolve(parse.GetValue(store));
                if (resolved.Problem is { } error)
                    return Cli.Fail(error);
                var location = resolved.Value;
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                // the seal follower writes PostgreSQL's seals: run it up to the head first
                if (host.Store is MartenEventStore marten)
                    await marten.CatchUpAsync(ct).ConfigureAwait(false);
                Anchor anchor;
                try
                {
                    anchor = await Anchors
                        .CreateAsync(host.Store, privateKey, location.Description, DateTimeOffset.UtcNow, ct)
                        .ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    return Cli.Fail(e.Message);
                }
                var line = Anchors.ToLine(anchor);
                await using (
                    var file = new FileStream(parse.GetValue(to)!, FileMode.Append, FileAccess.Write, FileShare.Read)
                )
                await using (var writer = new StreamWriter(file))
                {
                    await writer.WriteLineAsync(line).ConfigureAwait(false);
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }
                if (host.Store is IAnchorTable table)
                    await table
                        .RecordAnchorAsync(
                            anchor.GlobalPosition,
                            anchor.Seal,
                            anchor.AnchoredAt,
                            anchor.PublicKey,
                            anchor.Signature,
                            line,
                            ct
                        )
                        .ConfigureAwait(false);
                Console.WriteLine(line);
                Console.WriteLine(
                    $"anchored global position {anchor.GlobalPosition} (seal {anchor.Seal}) to "
                        + $"{Path.GetFullPath(parse.GetValue(to)!)}"
                );
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    private static Command KeyGen()
    {
        var privateFile = new Option<string>("--private")
        {
            Description = "where to write the private key (created with mode 600; never overwritten)",
            Required = true,
        };
        var publicFile = new Option<string>("--public")
        {
            Description = "where to write the public key, for auditors (`verify --public-key`)",
            Required = true,
        };
        var command = new Command("keygen", "Make an Ed25519 key pair for anchors (PEM files, as openssl writes them)")
        {
            privateFile,
            publicFile,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var (privatePath, publicPath) = (parse.GetValue(privateFile)!, parse.GetValue(publicFile)!);
                foreach (var path in (string[])[privatePath, publicPath])
                    if (File.Exists(path))
                        return Cli.Fail($"{Path.GetFullPath(path)} exists; a key file is never overwritten");
                var (privatePem, publicPem) = Anchors.NewKeyPair();
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                await using (var writer = new StreamWriter(privatePath, options))
                    await writer.WriteAsync(privatePem).ConfigureAwait(false);
                await File.WriteAllTextAsync(publicPath, publicPem, ct).ConfigureAwait(false);
                Console.WriteLine($"private key: {Path.GetFullPath(privatePath)} (keep it off the database host)");
                Console.WriteLine($"public key:  {Path.GetFullPath(publicPath)} (give it to auditors)");
                return ExitCodes.Ok;
            }
        );
        return command;
    }
}
