using System.CommandLine;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.Projections;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger projections status|rebuild [NAME]|show NAME</c>: the projection tables regulators query with
/// SQL; and <c>ledger regulator-role NAME</c>, the read-only PostgreSQL role for them.
/// </summary>
public static class ProjectionsVerb
{
    private static readonly string[] Names = [.. ProjectionTables.All.Select(t => t.Projection)];

    /// <summary>The verb with its subcommands.</summary>
    public static Command Create(Option<string?> store)
    {
        var status = new Command(
            "status",
            "Print each projection table with its row count and the global position the tables stand at (after "
                + "catching up)"
        );
        status.SetAction(
            async (parse, ct) =>
            {
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host?.Projections is not { } projections)
                    return ExitCodes.Invalid;
                var position = await projections.CatchUpAsync(ct).ConfigureAwait(false);
                Console.WriteLine(
                    $"projection tables at global position {position} (log head "
                        + $"{await host.Store.HeadAsync(ct).ConfigureAwait(false)})"
                );
                foreach (var table in ProjectionTables.All)
                {
                    var rows = await projections.CountAsync(table, ct).ConfigureAwait(false);
                    Console.WriteLine($"  {table.Projection,-20} {rows,8} rows  {table.Description}");
                }
                return ExitCodes.Ok;
            }
        );

        var rebuildName = new Argument<string?>("name")
        {
            Description = "one projection (default: all): " + string.Join(", ", Names),
            Arity = ArgumentArity.ZeroOrOne,
        };
        rebuildName.AcceptOnlyFromAmong(Names);
        var rebuild = new Command(
            "rebuild",
            "Rebuild projection tables from the start of the log into shadow tables, then swap them in within one "
                + "transaction (readers keep the old rows until then)"
        )
        {
            rebuildName,
        };
        rebuild.SetAction(
            async (parse, ct) =>
            {
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host?.Projections is not { } projections)
                    return ExitCodes.Invalid;
                var result = await projections.RebuildAsync(parse.GetValue(rebuildName), ct).ConfigureAwait(false);
                Console.WriteLine(
                    $"rebuilt {string.Join(", ", result.Tables)} from {result.Events} events, now at global position "
                        + $"{result.Position}"
                );
                return ExitCodes.Ok;
            }
        );

        var showName = new Argument<string>("name") { Description = "one of: " + string.Join(", ", Names) };
        showName.AcceptOnlyFromAmong(Names);
        var json = new Option<bool>("--json") { Description = "print {name, globalPosition, rows:[{column: value}]}" };
        var csv = new Option<bool>("--csv") { Description = "print CSV with a header line" };
        var show = new Command("show", "Print a projection table as stored (after catching up)")
        {
            showName,
            json,
            csv,
        };
        show.SetAction(
            async (parse, ct) =>
            {
                if (parse.GetValue(json) && parse.GetValue(csv))
                    return Cli.Fail("--json and --csv exclude each other");
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host?.Projections is not { } projections)
                    return ExitCodes.Invalid;
                var position = await projections.CatchUpAsync(ct).ConfigureAwait(false);
                var table = ProjectionTables.Of(parse.GetValue(showName)!);
                var result = new QueryResult(
                    table.Name,
                    position,
                    [.. table.Columns.Select(c => c.Name)],
                    [.. await projections.ReadAsync(table, ct).ConfigureAwait(false)]
                );
                if (parse.GetValue(json))
                    Console.WriteLine(QueryVerb.Json(result).ToString(Formatting.Indented));
                else if (parse.GetValue(csv))
                    Console.Write(QueryVerb.Csv(result));
                else
                    QueryVerb.Table(result);
                return ExitCodes.Ok;
            }
        );

        return new Command("projections", "The projection tables behind the regulator views: status, rebuild, show")
        {
            status,
            rebuild,
            show,
        };
    }

    /// <summary><c>ledger regulator-role NAME [--password P]</c>.</summary>
    public static Command RegulatorRole(Option<string?> store)
    {
        var role = new Argument<string>("name")
        {
            Description = "the role to create or reset (a lower-case identifier)",
        };
        var password = new Option<string?>("--password")
        {
            Description = "its login password (default: $LEDGER_REGULATOR_PASSWORD; none: no password is set)",
        };
        var closeOthers = new Option<bool>("--close-other-databases")
        {
            Description =
                "also take CONNECT on the server's other databases from PUBLIC, granting it first to every other "
                + "login role that is not a ledger regulator",
        };
        var command = new Command(
            "regulator-role",
            "PostgreSQL only: create a login role that can read the regulator views and nothing else (no event "
                + "tables, no writes)"
        )
        {
            role,
            password,
            closeOthers,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var resolved = StoreLocation.Resolve(parse.GetValue(store));
                if (resolved.Problem is { } error)
                    return Cli.Fail(error);
                var location = resolved.Value;
                if (!location.IsPostgres)
                    return Cli.Fail(
                        "SQLite has no roles: give regulators a copy of the file (or open it with mode=ro); its "
                            + "regulator_* views hold the projections"
                    );
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host?.Store is not MartenEventStore marten)
                    return ExitCodes.Invalid;
                IReadOnlyList<string> others;
                try
                {
                    others = await EventStore
                        .Postgres.RegulatorRole.CreateAsync(
                            marten.DataSource,
                            parse.GetValue(role)!,
                            parse.GetValue(password) ?? Environment.GetEnvironmentVariable("LEDGER_REGULATOR_PASSWORD"),
                            parse.GetValue(closeOthers),
                            ct
                        )
                        .ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    return Cli.Fail(e.Message);
                }
                Console.WriteLine(
                    $"role {parse.GetValue(role)} can read the views of schema regulator on {location.Description}, "
                        + $"and nothing else"
                );
                Console.WriteLine(
                    "  no temporary objects, no CREATE in schema public; sessions: statement_timeout 60s, "
                        + "lock_timeout 5s, idle_in_transaction_session_timeout 30s, 20 connections"
                );
                if (others.Count > 0)
                    await Console
                        .Error.WriteLineAsync(
                            $"warning: through PUBLIC the role can still connect to {string.Join(", ", others)} on "
                                + $"this server; "
                                + "close that with --close-other-databases (which grants CONNECT to every other "
                                + $"login role first), or a pg_hba.conf rule for {parse.GetValue(role)}"
                        )
                        .ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        );
        return command;
    }
}
