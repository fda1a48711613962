using System.Diagnostics;
using System.Globalization;
using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger bench --scenario postgres --store SERVER</c>: the bench workload (<see cref="BenchWorkload"/>)
/// into two scratch databases the bench creates on the server (and drops after): once with one
/// transaction per command, once through the single writer as <c>apply</c> does (up to <see
/// cref="WriterOptions.MaxBatch"/> commands per Marten session). Then a full replay, Marten's async daemon
/// catching the seal chain and the projections up from nothing, a rebuild of every projection, and the raw
/// limit of the same server: a binary <c>COPY</c> of the appended event rows into a bare table. The server's
/// <c>fsync</c> and <c>synchronous_commit</c> are printed: the figures mean something only with both on.
/// </summary>
public static class PostgresBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static async Task<int> RunAsync(string server, int commands, int seed, CancellationToken ct)
    {
        var lines = BenchWorkload.Lines(commands, seed).ToArray();
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnection.Normalize(server));
        var admin = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Database = builder.Database ?? "postgres",
        }.ConnectionString;
        var stamp = string.Create(CultureInfo.InvariantCulture, $"ledger_bench_{Environment.ProcessId}");
        string Db(string suffix) =>
            new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = stamp + suffix }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            Console.WriteLine(
                $"machine: {Environment.ProcessorCount} cores, "
                    + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}; server "
                    + $"{connection.PostgreSqlVersion}, "
                    + $"fsync={await Show(connection, "fsync", ct).ConfigureAwait(false)}, "
                    + $"synchronous_commit={await Show(connection, "synchronous_commit", ct).ConfigureAwait(false)}; "
                    + $"{lines.Length} commands"
            );
            foreach (var suffix in (string[])["_single", "_grouped"])
                await Execute(connection, $"CREATE DATABASE {stamp}{suffix}", ct).ConfigureAwait(false);
        }
        try
        {
            var watch = Stopwatch.StartNew();
            await using (
                var host = await LedgerHost.OpenAsync(new StoreLocation(null, Db("_single")), ct).ConfigureAwait(false)
            )
            {
                watch.Restart();
                var number = 0;
                foreach (var line in lines)
                    await LineApplier.ApplyLineAsync(host.Mediator, ++number, line, ct).ConfigureAwait(false);
                Report("apply, one transaction per command", lines.Length, "commands", watch.Elapsed);
            }
            long events;
            await using (
                var host = await LedgerHost.OpenAsync(new StoreLocation(null, Db("_grouped")), ct).ConfigureAwait(false)
            )
            {
                watch.Restart();
                await LineApplier
                    .RunAsync(
                        host.Mediator,
                        new StringReader(string.Join('\n', lines)),
                        result => ApplyVerb.Print(TextWriter.Null, result),
                        ct
                    )
                    .ConfigureAwait(false);
                var elapsed = watch.Elapsed;
                events = await host.Store.HeadAsync(ct).ConfigureAwait(false);
                Report(
                    $"apply, grouped (up to {WriterOptions.Default.MaxBatch} per session)",
                    lines.Length,
                    "commands",
                    elapsed
                );
                Report("  the same, in events", events, "events", elapsed);

                watch.Restart();
                var (_, position) = await LedgerReplay.StateAtAsync(host.Store, null, ct).ConfigureAwait(false);
                Report("full replay", position, "events", watch.Elapsed);

                watch.Restart();
                await host.Projections!.CatchUpAsync(ct).ConfigureAwait(false);
                Report("async daemon: seal chain + projections", position, "events", watch.Elapsed);

                watch.Restart();
                var rebuilt = await host.Projections.RebuildAsync(null, ct).ConfigureAwait(false);
                Report("rebuild of every projection", rebuilt.Events, "events", watch.Elapsed);

                var copied = await CopyAsync((MartenEventStore)host.Store, ct).ConfigureAwait(false);
                Report("raw limit: binary COPY of the event rows", copied.Rows, "rows", copied.Elapsed);
                var share = events / elapsed.TotalSeconds / (copied.Rows / copied.Elapsed.TotalSeconds);
                Console.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"grouped apply reaches {share:P1} of the COPY rate (events/s over rows/s)"
                    )
                );
            }
            return ExitCodes.Ok;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            foreach (var suffix in (string[])["_single", "_grouped"])
                await Execute(
                        connection,
                        $"DROP DATABASE IF EXISTS {stamp}{suffix} WITH (FORCE)",
                        CancellationToken.None
                    )
                    .ConfigureAwait(false);
        }
    }

    /// <summary>Reads the appended rows, then times a binary COPY of them into a bare table with the same
    /// columns.</summary>
    private static async Task<(long Rows, TimeSpan Elapsed)> CopyAsync(MartenEventStore store, CancellationToken ct)
    {
        var rows =
            new List<(long Seq, Guid Id, string Stream, long Version, string Type, string Data, string Headers)>();
        await using (
            var read = store.DataSource.CreateCommand(
                "SELECT seq_id, id, stream_id, version, type, data::text, headers::text FROM "
                    + $"{MartenEventStore.Schema}.mt_events ORDER BY seq_id"
            )
        )
        await using (var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                rows.Add(
                    (
                        r.GetInt64(0),
                        r.GetGuid(1),
                        r.GetString(2),
                        r.GetInt64(3),
                        r.GetString(4),
                        r.GetString(5),
                        r.GetString(6)
                    )
                );
        await using var connection = await store.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await Execute(
                connection,
                "CREATE TABLE bench_copy (seq_id bigint PRIMARY KEY, id uuid NOT NULL, stream_id text NOT NULL, "
                    + "version bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL, headers jsonb)",
                ct
            )
            .ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await using (
            var copy = await connection
                .BeginBinaryImportAsync(
                    "COPY bench_copy (seq_id, id, stream_id, version, type, data, headers) FROM STDIN (FORMAT BINARY)",
                    ct
                )
                .ConfigureAwait(false)
        )
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Seq, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Stream, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Type, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Data, NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
                await copy.WriteAsync(row.Headers, NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        return (rows.Count, watch.Elapsed);
    }

    private static async Task<string> Show(NpgsqlConnection connection, string setting, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static void Report(string what, long count, string unit, TimeSpan elapsed) =>
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{what,-42} {count,9} {unit} in {elapsed.TotalSeconds,8:F2} s = "
                    + $"{count / elapsed.TotalSeconds,10:N0} {unit}/s"
            )
        );
}
